"""template.yaml, transformed by the SAM translator as CloudFormation will see it."""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from contact_relay.adapters.dynamodb_verifications import VERIFICATION_ATTRIBUTES
from contact_relay.handlers.routes import ROUTES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "infra"))

from resolve_conditions import failed_rules, resolve_conditions  # noqa: E402
from transform_template import EXAMPLE_PARAMETERS, _with_intrinsics, transformed  # noqa: E402

pytestmark = pytest.mark.infra


@cache
def template() -> dict[str, Any]:
    """Every resource, optional ones included: what cfn-lint checks."""
    return transformed()


def deployed(**parameters: str) -> dict[str, Any]:
    """What CloudFormation creates for EXAMPLE_PARAMETERS, `parameters` and the defaults."""
    return _deployed(frozenset(parameters.items()))


@cache
def _deployed(overrides: frozenset[tuple[str, str]]) -> dict[str, Any]:
    parameters = {**EXAMPLE_PARAMETERS, **dict(overrides)}
    return resolve_conditions(transformed(parameters=parameters), parameters)


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template()["Resources"].items() if r["Type"] == kind}


def properties(name: str) -> dict[str, Any]:
    props: dict[str, Any] = template()["Resources"][name]["Properties"]
    return props


def table_arn(name: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [name, "Arn"]}


def function_statements(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    role = deployment["Resources"]["ContactFunctionRole"]["Properties"]
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def actions(statement: dict[str, Any]) -> tuple[str, ...]:
    action = statement["Action"]
    return tuple(sorted([action] if isinstance(action, str) else action))


def test_the_function_may_do_only_what_each_table_and_the_sender_need() -> None:
    deployment = deployed()
    statements = function_statements(deployment)
    granted = {(actions(s), repr(s["Resource"])) for s in statements}

    assert all(statement["Effect"] == "Allow" for statement in statements)
    assert granted == {
        (("dynamodb:GetItem",), repr(table_arn("SellersTable"))),
        (("dynamodb:UpdateItem",), repr(table_arn("SellersTable"))),
        (("dynamodb:PutItem",), repr(table_arn("MessagesTable"))),
        (("dynamodb:GetItem",), repr(table_arn("MessagesTable"))),
        (
            ("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
            repr(table_arn("IdempotencyTable")),
        ),
        (("dynamodb:UpdateItem",), repr(table_arn("RateLimitTable"))),
        (("dynamodb:UpdateItem",), repr(table_arn("ConversationsTable"))),
        (("ses:SendEmail", "ses:SendRawEmail"), repr(_ses_resources(statements))),
        (
            ("secretsmanager:GetSecretValue",),
            repr([{"Ref": "DigestKeySecret"}, {"Ref": "CaptchaSecretArn"}]),
        ),
    }
    properties = deployment["Resources"]["ContactFunctionRole"]["Properties"]
    assert sorted(properties["ManagedPolicyArns"]) == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    ]


def test_the_function_may_update_only_a_sellers_verification_attributes() -> None:
    [confirm] = [
        statement
        for statement in function_statements(deployed())
        if actions(statement) == ("dynamodb:UpdateItem",)
        and statement["Resource"] == table_arn("SellersTable")
    ]

    allowed = confirm["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]
    assert sorted(allowed) == sorted(["sellerId", *VERIFICATION_ATTRIBUTES])
    assert not {"replyToEmail", "displayName", "status"} & set(allowed)


def _ses_resources(statements: list[dict[str, Any]]) -> Any:
    [ses] = [s for s in statements if "ses:SendEmail" in s["Action"]]
    resources = ses["Resource"]
    text = repr(resources)
    # The sender identity (as an address and as its domain) and the configuration set: no `*`.
    assert "identity/${SenderAddress}" in text
    assert "identity/${Domain}" in text and "Fn::Split" in text
    assert "configuration-set/${DeliveryConfigurationSet}" in text
    assert "*" not in text.replace("${", "")
    return resources


FROM_THE_SENDER_ONLY = {"StringEquals": {"ses:FromAddress": {"Ref": "SenderAddress"}}}


@pytest.mark.parametrize("in_sandbox", ["false", "true"])
def test_every_send_the_function_may_make_is_from_the_sender_address(in_sandbox: str) -> None:
    statements = function_statements(deployed(SesAccountInSandbox=in_sandbox))
    sending = [s for s in statements if any(a.startswith("ses:") for a in actions(s))]

    assert sending
    assert all(statement["Condition"] == FROM_THE_SENDER_ONLY for statement in sending)


def test_in_the_sandbox_it_may_also_send_to_identities_verified_in_its_account_and_region() -> None:
    outside = function_statements(deployed())
    inside = function_statements(deployed(SesAccountInSandbox="true"))
    [added] = [statement for statement in inside if statement not in outside]

    assert actions(added) == ("ses:SendEmail", "ses:SendRawEmail")
    assert added["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*"
    }
    assert added["Condition"] == FROM_THE_SENDER_ONLY
    assert _parameters()["SesAccountInSandbox"]["Default"] == "false"


def test_an_operator_names_the_marketplace_the_template_never_assumes_one() -> None:
    # A deployment that forgot it would otherwise write to sellers in another marketplace's name.
    without_default = {name for name, spec in _parameters().items() if "Default" not in spec}
    variables = properties("ContactFunction")["Environment"]["Variables"]

    assert without_default == {"SenderAddress", "MarketplaceName"}
    assert variables["MARKETPLACE_NAME"] == {"Ref": "MarketplaceName"}
    assert not _parameter_pattern("MarketplaceName").fullmatch("")


NO_CAPTCHA = {"CaptchaVerifyUrl": "", "CaptchaSecretArn": ""}
# Names that say a value is secret; a variable may only say where such a value is.
SECRET_WORDS = re.compile(r"SECRET|KEY|TOKEN|PASSWORD|CREDENTIAL", re.IGNORECASE)


@pytest.mark.parametrize("captcha", ["on", "off"])
def test_no_function_holds_a_secret_in_its_environment(captcha: str) -> None:
    deployment = deployed(**({} if captcha == "on" else NO_CAPTCHA))
    no_echo = {name for name, spec in _parameters().items() if spec.get("NoEcho")}
    functions = {
        name: r
        for name, r in deployment["Resources"].items()
        if r["Type"] == "AWS::Lambda::Function"
    }

    assert functions
    for name, function in functions.items():
        variables = function["Properties"]["Environment"]["Variables"]
        for variable, value in variables.items():
            assert not SECRET_WORDS.search(variable) or variable.endswith("_ARN"), (name, variable)
            # Neither a NoEcho parameter nor a dynamic reference, which CloudFormation would
            # resolve into the function's configuration for anyone who may read it.
            assert not any(f"'Ref': '{parameter}'" in repr(value) for parameter in no_echo)
            assert "{{resolve:" not in repr(value), (name, variable)
    variables = functions["ContactFunction"]["Properties"]["Environment"]["Variables"]
    assert "CAPTCHA_SECRET" not in variables
    assert variables["CAPTCHA_SECRET_ARN"] == {"Ref": "CaptchaSecretArn"}
    assert variables["DIGEST_KEY_SECRET_ARN"] == {"Ref": "DigestKeySecret"}


@pytest.mark.parametrize(
    ("captcha", "readable"),
    [
        ("on", [{"Ref": "DigestKeySecret"}, {"Ref": "CaptchaSecretArn"}]),
        ("off", [{"Ref": "DigestKeySecret"}]),
    ],
)
def test_the_function_may_read_its_own_secrets_and_no_other(
    captcha: str, readable: list[dict[str, str]]
) -> None:
    statements = function_statements(deployed(**({} if captcha == "on" else NO_CAPTCHA)))
    [secrets] = [s for s in statements if "secretsmanager" in repr(s)]

    assert actions(secrets) == ("secretsmanager:GetSecretValue",)
    assert secrets["Resource"] == readable


def test_the_digest_key_is_generated_at_deploy_time_and_never_written_down() -> None:
    secret = template()["Resources"]["DigestKeySecret"]
    generated = secret["Properties"]["GenerateSecretString"]

    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert "SecretString" not in secret["Properties"]
    assert generated["PasswordLength"] >= 32
    assert not generated.get("ExcludeLowercase") and not generated.get("ExcludeUppercase")


@pytest.mark.parametrize(
    ("url", "arn", "accepted"),
    [
        ("", "", True),
        (EXAMPLE_PARAMETERS["CaptchaVerifyUrl"], EXAMPLE_PARAMETERS["CaptchaSecretArn"], True),
        (EXAMPLE_PARAMETERS["CaptchaVerifyUrl"], "", False),
        ("", EXAMPLE_PARAMETERS["CaptchaSecretArn"], False),
    ],
)
def test_a_captcha_needs_both_its_url_and_its_secret_before_deploying(
    url: str, arn: str, accepted: bool
) -> None:
    parameters = {**EXAMPLE_PARAMETERS, "CaptchaVerifyUrl": url, "CaptchaSecretArn": arn}

    assert (failed_rules(template(), parameters) == []) is accepted


@pytest.mark.parametrize(
    ("domain", "url", "accepted"),
    [
        ("", "", True),
        ("reply.shop.example", "https://api.shop.example", True),
        ("reply.shop.example", "", False),
        ("", "https://api.shop.example", True),
    ],
)
def test_a_reply_domain_needs_the_public_api_url_before_deploying(
    domain: str, url: str, accepted: bool
) -> None:
    parameters = {**EXAMPLE_PARAMETERS, "ReplyDomain": domain, "PublicApiUrl": url}

    assert (failed_rules(template(), parameters) == []) is accepted


def test_the_function_gets_the_conversations_settings_and_table() -> None:
    variables = properties("ContactFunction")["Environment"]["Variables"]

    assert variables["REPLY_DOMAIN"] == {"Ref": "ReplyDomain"}
    assert variables["CONVERSATION_RETENTION_DAYS"] == {"Ref": "ConversationRetentionDays"}
    assert variables["CONVERSATIONS_TABLE"] == {"Ref": "ConversationsTable"}
    assert variables["PUBLIC_API_URL"] == {"Ref": "PublicApiUrl"}


def test_conversations_are_found_by_either_alias_through_keys_only_indexes() -> None:
    table = properties("ConversationsTable")

    assert table["KeySchema"] == [{"AttributeName": "conversationId", "KeyType": "HASH"}]
    indexes = {
        index["IndexName"]: (index["KeySchema"], index["Projection"])
        for index in table["GlobalSecondaryIndexes"]
    }
    assert indexes == {
        name: ([{"AttributeName": attribute, "KeyType": "HASH"}], {"ProjectionType": "KEYS_ONLY"})
        for name, attribute in (("byBuyerAlias", "buyerAlias"), ("bySellerAlias", "sellerAlias"))
    }
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiresAt", "Enabled": True}


def test_every_table_is_on_demand_with_ttl_and_encryption() -> None:
    tables = resources("AWS::DynamoDB::Table")

    assert set(tables) == {
        "SellersTable",
        "MessagesTable",
        "IdempotencyTable",
        "RateLimitTable",
        "ConversationsTable",
    }
    for name, table in tables.items():
        props = table["Properties"]
        assert props["BillingMode"] == "PAY_PER_REQUEST", name
        assert props["TimeToLiveSpecification"]["Enabled"] is True, name
        assert props["SSESpecification"]["SSEEnabled"] is True, name
    for name in ("SellersTable", "MessagesTable", "ConversationsTable"):
        assert properties(name)["PointInTimeRecoverySpecification"] == {
            "PointInTimeRecoveryEnabled": True
        }


# Tables whose loss loses data: kept when the stack is deleted or the table replaced. A new table
# must be named in one set or the other, so that someone decides.
RETAINED_TABLES = {"SellersTable", "MessagesTable", "ConversationsTable"}
DISPOSABLE_TABLES = {"IdempotencyTable", "RateLimitTable"}


@pytest.mark.parametrize("name", sorted(resources("AWS::DynamoDB::Table")))
def test_every_table_says_whether_it_outlives_the_stack(name: str) -> None:
    table = resources("AWS::DynamoDB::Table")[name]

    assert name in RETAINED_TABLES | DISPOSABLE_TABLES, f"decide whether {name} is retained"
    policy = "Retain" if name in RETAINED_TABLES else "Delete"
    assert table.get("DeletionPolicy") == policy
    assert table.get("UpdateReplacePolicy") == policy


def test_the_api_has_explicit_routes_throttling_access_logs_and_tracing() -> None:
    paths = properties("ContactApi")["Body"]["paths"]
    stage = properties("ContactApiv1Stage")

    # The handler's route table, each route with its CORS preflight.
    assert {path: sorted(methods) for path, methods in paths.items()} == {
        route.resource: sorted([*(method.lower() for method in route.methods), "options"])
        for route in ROUTES
    }
    assert not any("proxy" in path for path in paths)
    [settings] = stage["MethodSettings"]
    assert {"ThrottlingRateLimit", "ThrottlingBurstLimit"} <= set(settings)
    assert stage["TracingEnabled"] is True
    access_log = stage["AccessLogSetting"]
    assert access_log["DestinationArn"] == table_arn("ApiAccessLogGroup")
    assert "$context.requestId" in access_log["Format"]
    assert "body" not in access_log["Format"].lower()


def test_the_account_wide_api_gateway_logging_role_is_left_alone_by_default() -> None:
    default = deployed()["Resources"]

    assert _parameters()["ConfigureApiGatewayLogging"]["Default"] == "false"
    assert not {"ApiGatewayAccount", "ApiGatewayLoggingRole"} & set(default)
    assert "ApiGatewayAccount" not in repr(default)


def test_turned_on_the_logging_role_is_set_before_the_stage_and_kept_after_the_stack() -> None:
    created = deployed(ConfigureApiGatewayLogging="true")["Resources"]
    role = created["ApiGatewayLoggingRole"]

    assert created["ApiGatewayAccount"]["Properties"]["CloudWatchRoleArn"] == {
        "Fn::GetAtt": ["ApiGatewayLoggingRole", "Arn"]
    }
    # The stage's access logs need the setting: the API refers to it, so it is set first.
    assert "ApiGatewayAccount" in repr(created["ContactApi"]["Properties"])
    # The account setting outlives the stack, so the role it names must too.
    assert role["DeletionPolicy"] == role["UpdateReplacePolicy"] == "Retain"


def test_by_default_there_is_no_web_acl_and_no_reserved_concurrency() -> None:
    default = deployed()["Resources"]

    assert not [name for name, r in default.items() if r["Type"].startswith("AWS::WAFv2::")]
    assert "ReservedConcurrentExecutions" not in default["ContactFunction"]["Properties"]
    assert _parameters()["WafRateLimitPerIp"]["Default"] == "0"
    assert _parameters()["ContactFunctionReservedConcurrency"]["Default"] == 0


def test_a_waf_rate_limit_blocks_each_source_ip_past_it_on_the_api_stage() -> None:
    created = deployed(WafRateLimitPerIp="2000")["Resources"]
    acl = created["ApiWebAcl"]["Properties"]
    association = created["ApiWebAclAssociation"]["Properties"]
    [rule] = acl["Rules"]

    assert (acl["Scope"], acl["DefaultAction"]) == ("REGIONAL", {"Allow": {}})
    assert rule["Statement"] == {
        "RateBasedStatement": {
            "AggregateKeyType": "IP",
            "EvaluationWindowSec": 300,
            "Limit": {"Ref": "WafRateLimitPerIp"},
        }
    }
    # Refused the way API Gateway's own throttle refuses: 429 rate_limited with Retry-After.
    response = rule["Action"]["Block"]["CustomResponse"]
    body = acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]
    assert response["ResponseCode"] == 429
    assert json.loads(body["Content"])["error"]["code"] == "rate_limited"
    headers = {header["Name"] for header in response["ResponseHeaders"]}
    assert {"Retry-After", "Access-Control-Allow-Origin", "Vary"} <= headers
    # On the stage that serves the API (SAM's ContactApi.Stage), after the stage exists.
    assert association["WebACLArn"] == {"Fn::GetAtt": ["ApiWebAcl", "Arn"]}
    arn = association["ResourceArn"]["Fn::Sub"]
    assert arn.endswith(
        ":apigateway:${AWS::Region}::/restapis/${ContactApi}/stages/${ContactApiv1Stage}"
    )
    assert created["ContactApiv1Stage"]["Properties"]["StageName"] == "v1"


def test_reserved_concurrency_caps_the_function_when_set() -> None:
    function = deployed(ContactFunctionReservedConcurrency="10")["Resources"]["ContactFunction"]

    assert function["Properties"]["ReservedConcurrentExecutions"] == {
        "Ref": "ContactFunctionReservedConcurrency"
    }


def test_the_function_runs_python_313_on_arm64_with_tracing_and_the_layer() -> None:
    function = properties("ContactFunction")

    assert function["Runtime"] == "python3.13"
    assert function["Architectures"] == ["arm64"]
    assert function["TracingConfig"] == {"Mode": "Active"}
    assert function["Handler"] == "contact_relay.handlers.contact.lambda_handler"
    assert len(function["Layers"]) == 1
    variables = function["Environment"]["Variables"]
    assert {"SELLERS_TABLE", "MESSAGES_TABLE", "IDEMPOTENCY_TABLE", "RATE_LIMIT_TABLE"} <= set(
        variables
    )
    assert variables["POWERTOOLS_SERVICE_NAME"] == "contact-relay"


def test_every_log_group_has_a_retention() -> None:
    groups = resources("AWS::Logs::LogGroup")

    assert set(groups) == {
        "ContactFunctionLogGroup",
        "DeliveryEventsFunctionLogGroup",
        "InboundFunctionLogGroup",
        "ApiAccessLogGroup",
    }
    assert all("RetentionInDays" in group["Properties"] for group in groups.values())


def test_alarms_watch_5xx_delivery_failures_misconfiguration_unavailability_and_throttles() -> None:
    watched = {
        (props["Namespace"], props["MetricName"])
        for props in (alarm["Properties"] for alarm in resources("AWS::CloudWatch::Alarm").values())
    }

    assert {
        ("AWS/ApiGateway", "5XXError"),
        ("ContactRelay", "Error_delivery_failed"),
        ("ContactRelay", "DeliveryMisconfigured"),
        ("ContactRelay", "Error_service_unavailable"),
        ("AWS/Lambda", "Throttles"),
    } <= watched


def test_one_send_refused_for_its_configuration_raises_the_alarm() -> None:
    [alarm] = [
        a["Properties"]
        for a in resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "DeliveryMisconfigured"
    ]

    assert (alarm["Statistic"], alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "Sum",
        "GreaterThanThreshold",
        0,
    )
    assert alarm["TreatMissingData"] == "notBreaching"


@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, alarm in resources("AWS::CloudWatch::Alarm").items()
        if not alarm["Properties"]["Namespace"].startswith("AWS/")
    ),
)
def test_alarms_on_the_functions_metrics_name_its_namespace_and_service(name: str) -> None:
    # Powertools Metrics publishes under POWERTOOLS_METRICS_NAMESPACE with a `service`
    # dimension: an alarm naming anything else watches a metric that never arrives.
    alarm = resources("AWS::CloudWatch::Alarm")[name]["Properties"]
    variables = properties("ContactFunction")["Environment"]["Variables"]

    assert alarm["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["Dimensions"] == [
        {"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}
    ]


GATEWAY_ANSWERS = {
    "MISSING_AUTHENTICATION_TOKEN": ("404", "not_found"),
    "THROTTLED": ("429", "rate_limited"),
    "REQUEST_TOO_LARGE": ("413", "payload_too_large"),
    "UNSUPPORTED_MEDIA_TYPE": ("415", "unsupported_media_type"),
    "DEFAULT_4XX": (None, "bad_request"),
    "DEFAULT_5XX": ("503", "service_unavailable"),
}


@pytest.mark.parametrize("response_type", sorted(GATEWAY_ANSWERS))
def test_api_gateways_own_answers_keep_the_contract(response_type: str) -> None:
    status, code = GATEWAY_ANSWERS[response_type]
    answers = properties("ContactApi")["Body"]["x-amazon-apigateway-gateway-responses"]
    answer = answers[response_type]

    assert answer.get("statusCode") == status
    body = json.loads(answer["responseTemplates"]["application/json"])
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    headers = answer["responseParameters"]
    assert "gatewayresponse.header.Access-Control-Allow-Origin" in headers
    if status in {"429", "503"}:
        assert "gatewayresponse.header.Retry-After" in headers


def _parameters() -> dict[str, dict[str, Any]]:
    parameters: dict[str, dict[str, Any]] = _with_intrinsics(ROOT / "template.yaml")["Parameters"]
    return parameters


def _parameter_pattern(name: str) -> re.Pattern[str]:
    return re.compile(_parameters()[name]["AllowedPattern"])


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        (
            "SenderAddress",
            ["noreply@shop.example", "cs.team+relay@mail.shop.co.jp"],
            ["", "no-at-sign", "a@b", "a b@shop.example"],
        ),
        (
            "AllowedOrigins",
            ["", "https://shop.example", "https://a.example,http://localhost:3000", "*"],
            ["https://shop.example/path", "shop.example", "ftp://x.example"],
        ),
        ("LogRetentionDays", [], []),
        (
            "CaptchaVerifyUrl",
            ["", "https://challenges.cloudflare.com/turnstile/v0/siteverify"],
            ["http://verify.example"],
        ),
        (
            "CaptchaSecretArn",
            [
                "",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay/captcha-a1B2c3",
            ],
            [
                "captcha-secret-value",
                "arn:aws:secretsmanager:eu-west-1:123456789012:secret:relay/captcha",
                "arn:aws:ssm:eu-west-1:123456789012:parameter/relay/captcha",
            ],
        ),
        (
            "WafRateLimitPerIp",
            ["0", "10", "2000", "2000000000"],
            ["", "5", "-1", "010", "1e3", "2000 "],
        ),
        (
            "AlarmTopicArn",
            ["", "arn:aws:sns:us-east-1:123456789012:alarms"],
            ["arn:aws:sqs:us-east-1:123456789012:q"],
        ),
        (
            "ReplyDomain",
            ["", "reply.shop.example", "xn--bcher-kva.example", "reply.localhost"],
            ["Reply.Shop.Example", "localhost", "reply.shop.example.", "@reply.shop.example"],
        ),
        (
            "PublicApiUrl",
            [
                "",
                "https://api.shop.example",
                "https://abc123.execute-api.us-east-1.amazonaws.com/v1",
            ],
            ["api.shop.example", "https://api.shop.example/v1?x=1", "https://a@b.example"],
        ),
    ],
)
def test_parameters_refuse_bad_values_before_deploying(
    name: str, good: list[str], bad: list[str]
) -> None:
    parameters = _parameters()
    if not good and not bad:
        assert "AllowedValues" in parameters[name]
        return
    pattern = _parameter_pattern(name)
    assert all(pattern.fullmatch(value) for value in good)
    assert not any(pattern.fullmatch(value) for value in bad)


def test_outputs_give_the_url_and_every_table() -> None:
    outputs = template()["Outputs"]

    assert {
        "ApiUrl",
        "SellersTableName",
        "MessagesTableName",
        "IdempotencyTableName",
        "RateLimitTableName",
        "ConversationsTableName",
    } <= set(outputs)


def test_every_resource_built_by_make_has_its_target_in_its_makefile() -> None:
    # `sam build` runs `make build-<LogicalId>` in the resource's own folder (a new function
    # sharing the package once reached CI with no target, and `make build` failed).
    raw = _with_intrinsics(ROOT / "template.yaml")["Resources"]
    built_by_make = {
        name: resource["Properties"].get("CodeUri") or resource["Properties"]["ContentUri"]
        for name, resource in raw.items()
        if resource.get("Metadata", {}).get("BuildMethod") == "makefile"
    }
    assert "DeliveryEventsFunction" in built_by_make
    for name, folder in built_by_make.items():
        makefile = (ROOT / folder / "Makefile").read_text()
        rules = [line.split(":")[0] for line in makefile.splitlines() if ":" in line]
        targets = {target for rule in rules for target in rule.split()}
        assert f"build-{name}" in targets, f"{folder}Makefile has no build-{name}"
