"""The four topics a buyer can write about, and the subject line each one gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

TopicId = Literal["product-details", "shipping", "returns-policy", "other"]


@dataclass(frozen=True, slots=True)
class Topic:
    id: TopicId
    label: str
    subject_template: str

    def subject(self, marketplace: str) -> str:
        return self.subject_template.format(marketplace=marketplace)


# The seed's table: order is the order the form shows them in.
TOPICS: tuple[Topic, ...] = (
    Topic(
        "product-details", "Product Details", "Product details inquiry from {marketplace} customer"
    ),
    Topic("shipping", "Shipping", "Shipping inquiry from {marketplace} customer"),
    Topic("returns-policy", "Returns Policy", "Return policy inquiry from {marketplace} customer"),
    Topic("other", "Other Question", "Inquiry from {marketplace} customer"),
)

_TOPICS_BY_ID = {topic.id: topic for topic in TOPICS}


def topic_by_id(topic_id: TopicId) -> Topic:
    return _TOPICS_BY_ID[topic_id]
