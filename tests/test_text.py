"""Root causes of complaints, on comments written here by hand (not by the sample generator)."""

from __future__ import annotations

import pytest

from carework.text import FACTORS, TOPIC_FACTOR, root_cause, topic

CASES = [
    ("Hàng giao tới bị vỡ nát, dùng không được", "product"),
    ("hang bi loi, dung 2 ngay la hu", "product"),
    ("Giá đắt quá so với chỗ khác", "product"),
    ("đổi trả rắc rối, bảo hành lâu", "product"),
    ("Shipper giao trễ 3 ngày", "convenience"),
    ("ship cham qua, dat tu thu 2 toi thu 6 moi nhan", "convenience"),
    ("Bị trừ tiền hai lần mà chưa được hoàn tiền", "convenience"),
    ("cửa hàng đóng cửa sớm hơn giờ ghi trên bảng", "convenience"),
    ("nv thai do coc loc, hoi k tra loi", "people"),
    ("Nhân viên tư vấn sai, mua về không dùng được cho máy", "people"),
    ("staff rude lắm", "people"),
    ("Cảm ơn shop", "other"),
    ("", "other"),
]


@pytest.mark.parametrize("comment, factor", CASES)
def test_root_cause_of_hand_written_comments(comment, factor):
    assert root_cause([comment]) == [factor]


def test_every_topic_has_a_factor_and_missing_comments_are_other():
    assert set(TOPIC_FACTOR.values()) <= set(FACTORS)
    assert root_cause([None, float("nan")]) == ["other", "other"]
    assert topic(["giao hàng chậm"]) == ["delivery"]
