"""How django-allauth saves people and sends their e-mail: audited, through the task queue, and signed with the
platform's name and address from the settings (`NGO_SITE_NAME`, `NGO_SITE_URL`), not django.contrib.sites."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from ngo_platform.core.services import audit_log, site_context
from ngo_platform.core.tasks import email_enqueue


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's templates call `current_site`: the platform's name and domain, from the settings."""

    name: str
    domain: str


def platform_site() -> PlatformSite:
    return PlatformSite(name=settings.NGO_SITE_NAME, domain=urlsplit(settings.NGO_SITE_URL).netloc)


def email_context() -> dict:
    """The platform's e-mail context (`core.services.site_context`) and the `current_site` allauth's templates use."""
    return {**site_context(), "current_site": platform_site()}


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        email_enqueue(self.render_mail(template_prefix, email, {"email": email, **context, **email_context()}))

    def format_email_subject(self, subject):
        return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + str(subject)  # the setting always has a value (settings.py)

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.display_name = data.get("display_name", "")
        user.public_title = data.get("public_title", "")
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            audit_log(actor=user, action="accounts.signup", target=user)
        return user

    def confirm_email(self, request, email_address):
        result = super().confirm_email(request, email_address)
        audit_log(
            actor=email_address.user,
            action="accounts.email_confirm",
            target=email_address.user,
            details={"email": email_address.email},
        )
        return result
