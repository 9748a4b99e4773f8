"""Two people merging the same duplicates at the same moment, and a merge beside an edit."""

from __future__ import annotations

from django.urls import reverse

from contacts_app.models import Contact, ContactMerge, FormerNumber
from tests.contacts.conftest import contact_post_data, make_company

from .conftest import browser_for, run_together

EN = {"accept-language": "en"}


def merge_data(kept, contacts) -> dict:
    return {
        "contacts": [c.pk for c in contacts],
        "keep": kept.pk,
        **{f"version_{c.pk}": c.version for c in contacts},
    }


def test_of_two_merges_of_one_pair_at_once_one_merges_and_the_other_is_told(acme, alice, bob):
    first = make_company(acme, "Doppelt GmbH", by=alice)
    second = make_company(acme, "Doppelt GmbH", by=alice)
    data = merge_data(first, [first, second])
    browsers = [browser_for(alice), browser_for(bob)]

    responses = run_together(
        *(lambda b=b: b.post(reverse("contacts:merge"), data, headers=EN) for b in browsers)
    )

    assert [r.status_code for r in responses] == [302, 302]
    assert ContactMerge.objects.count() == 1
    assert list(Contact.objects.values_list("pk", flat=True)) == [first.pk]
    assert FormerNumber.objects.get().number == second.customer_number
    told = [b.get(r["Location"], headers=EN).text for b, r in zip(browsers, responses)]
    assert sum("2 contacts were merged into" in t for t in told) == 1
    assert sum("is no longer there" in t or "was changed by someone else" in t for t in told) == 1


def test_a_merge_beside_an_edit_of_the_kept_contact_loses_neither(acme, alice, bob):
    kept = make_company(acme, "Doppelt GmbH", by=alice)
    other = make_company(acme, "Doppelt GmbH", by=alice, vat_id="DE123456788")
    merge = merge_data(kept, [kept, other]) | {"pick_vat_id": other.pk}
    edit = contact_post_data(company_name="Doppelt GmbH", billing_city="Ulm", version=1)
    alice_browser, bob_browser = browser_for(alice), browser_for(bob)

    merged, edited = run_together(
        lambda: alice_browser.post(reverse("contacts:merge"), merge, headers=EN),
        lambda: bob_browser.post(reverse("contacts:edit", args=[kept.pk]), edit, headers=EN),
    )

    kept.refresh_from_db()
    assert merged.status_code == 302 and edited.status_code in (200, 302)
    if edited.status_code == 302:  # the edit came first: the merge is refused, nothing merged
        assert (kept.billing_city, kept.vat_id) == ("Ulm", "")
        assert Contact.objects.count() == 2 and not ContactMerge.objects.exists()
        told = alice_browser.get(merged["Location"], headers=EN).text
        assert "was changed by someone else after this page was opened" in told
    else:  # the merge came first: the edit is shown again as a conflict, nothing lost
        assert "Not saved: this contact was changed by" in edited.text
        assert (kept.billing_city, kept.vat_id) == ("", "DE123456788")
        assert Contact.objects.count() == 1
