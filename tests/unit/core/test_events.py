from syros_app.core import events


def test_publish_reaches_subscribers_in_the_same_session():
    seen = []

    @events.subscriber("test.happened")
    def handler(session, payload, now):
        seen.append((session, payload["x"]))

    events.publish("SESSION", "test.happened", {"x": 1})
    events.publish("SESSION", "test.other", {"x": 2})
    assert seen == [("SESSION", 1)]
    assert handler in events.subscribers("test.happened")
