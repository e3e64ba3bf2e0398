"""How django-allauth saves people and sends their e-mail: audited, and through the task queue."""

from allauth.account.adapter import DefaultAccountAdapter

from ngo_platform.core.services import audit_log
from ngo_platform.core.tasks import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        email_enqueue(self.render_mail(template_prefix, email, context))

    def save_user(self, request, user, form, commit=True):
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
