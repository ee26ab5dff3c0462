"""CSV split line by line: one broken line costs one row, never the rows after it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from carework.readers.delimited import split_delimited


def rows(text: str, delimiter: str | None = None) -> tuple[dict, list]:
    table = split_delimited(text, delimiter)
    return table.frame.to_dict("index"), table.bad_lines


def test_an_unbalanced_quote_costs_its_own_line_only():
    text = "id,amount,comment\n" + "".join(
        f'K{i},{i}000,"ok"\n' if i != 3 else 'K3,3000,"never closed\n' for i in range(1, 21))
    table = split_delimited(text)
    assert len(table.frame) == 19 and table.bad_lines == [(4, 'K3,3000,"never closed',
                                                           "bad_line")]
    assert table.frame.index.tolist() == [2, 3, *range(5, 22)]  # spreadsheet rows kept


def test_a_quoted_comment_over_several_lines_is_one_row():
    found, bad = rows('id,comment,nps\nK1,"giao chậm,\nnhân viên tốt",7\nK2,tốt,9\n')
    assert found == {2: {"id": "K1", "comment": "giao chậm,\nnhân viên tốt", "nps": "7"},
                     3: {"id": "K2", "comment": "tốt", "nps": "9"}}
    assert bad == []


def test_structure_repairs_are_counted():
    table = split_delimited("sep=;\r\nma;tien;\r\nK1;5\x00;\r\nK2;6;\r\n")
    assert table.frame.to_dict("list") == {"ma": ["K1", "K2"], "tien": ["5", "6"]}
    assert table.notes == {"nul_bytes": 1, "sep_line": 1, "trailing_delimiters": 2}
    assert split_delimited("a,b\r1,2\r3,4").notes == {"cr_line_ends": 2}


def test_truncated_last_line_repeated_header_and_wrong_field_counts():
    found, bad = rows("a,b,c\n1,2,3\nA,B,C\n4,5\n6,7,8\n9,1")
    assert list(found) == [2, 5]
    assert bad == [(3, "A,B,C", "repeated_header"), (4, "4,5", "bad_line"),
                   (6, "9,1", "truncated_line")]


def test_a_header_twice_is_kept_apart_and_reported():
    table = split_delimited("so_tien,ngay,so_tien\n1,2,3\n")
    assert table.frame.columns.tolist() == ["so_tien", "ngay", "so_tien (2)"]
    assert table.repeated_names == ["so_tien"]


def test_a_field_longer_than_the_csv_modules_limit():
    long = "x" * 200_000
    found, bad = rows(f'id,comment\nK1,"{long}"\nK2,"{long}\n"\n')
    assert found[2]["comment"] == long and bad == []


field = st.text(alphabet=st.characters(blacklist_characters="\r\n\x00", codec="utf-8"),
                max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(field, field, field), min_size=1, max_size=20))
def test_what_the_csv_module_writes_comes_back(records):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["a", "b", "c"])
    writer.writerows(records)
    table = split_delimited(buffer.getvalue(), ",")
    from carework.vntext import slug

    assert [tuple(r) for r in table.frame.itertuples(index=False)] == [
        tuple(r) for r in records if [slug(v) for v in r] != ["a", "b", "c"]]
