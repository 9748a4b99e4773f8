def test_home_sends_a_new_visitor_to_sign_up(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/signup/"


def test_the_contacts_page_shows_the_navigation(alice_client):
    response = alice_client.get("/contacts/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    for label in [b"Contacts", b"Products", b"Import", b"Settings"]:
        assert label in response.content
