"""The token every process compares to know whether its compiled rule set is current."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PricingVersion(models.Model):
    """One row whose token changes whenever anything the compiled rules depend on changes.

    A random token rather than a counter: a bump inside a transaction that rolls back must
    not leave a process believing its rules match a later, different bump."""

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("pricing version")

    def __str__(self):
        return str(self.token)

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(token=uuid.uuid4()):
            cls.objects.get_or_create(pk=1)

    @classmethod
    def current(cls) -> str:
        token = cls.objects.filter(pk=1).values_list("token", flat=True).first()
        return str(token) if token else ""
