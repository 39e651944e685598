from relcore.interactions import InteractionRecord


def test_log_one(ia):
    with ia.session() as s:
        rows = ia.log_interactions(s, [InteractionRecord("CT000010", "BUS", salesperson_code="JO")])
    assert rows[0]["entry_no"] == 1
