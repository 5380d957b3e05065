from __future__ import annotations

import pytest

from contact_relay.topics import TOPICS, topic_by_id


@pytest.mark.parametrize(
    ("topic_id", "label", "subject"),
    [
        ("product-details", "Product Details", "Product details inquiry from Amazon customer"),
        ("shipping", "Shipping", "Shipping inquiry from Amazon customer"),
        ("returns-policy", "Returns Policy", "Return policy inquiry from Amazon customer"),
        ("other", "Other Question", "Inquiry from Amazon customer"),
    ],
)
def test_each_topic_has_the_seeds_label_and_subject(
    topic_id: str, label: str, subject: str
) -> None:
    topic = topic_by_id(topic_id)  # type: ignore[arg-type]

    assert topic.label == label
    assert topic.subject("Amazon") == subject


def test_the_marketplace_name_goes_into_the_subject() -> None:
    assert topic_by_id("other").subject("Example Mall") == "Inquiry from Example Mall customer"


def test_topics_keep_the_forms_order() -> None:
    assert [topic.id for topic in TOPICS] == [
        "product-details",
        "shipping",
        "returns-policy",
        "other",
    ]
