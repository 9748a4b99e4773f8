"""Work an anonymous request hands to the queue, so that its answer cannot tell anything.

A password reset is asked for by anyone: the request only queues the address, and the worker
finds out whether it has an account and e-mails the link. Known and unknown addresses thus
cost the request the same (one row in the queue), and the answer takes the same time.
"""

from __future__ import annotations

from django_tasks import task


@task()
def send_password_reset(email: str, language: str) -> int:
    """E-mail a reset link to the account of `email`, if it has one; how many were sent."""
    from .password_reset import SiteURLPasswordResetForm

    form = SiteURLPasswordResetForm(data={"email": email})
    if not form.is_valid():
        return 0
    return form.send_links(language=language)
