"""A model field whose value is encrypted in the database and plain in Python (yushu_gov/security/crypto.py).

    id_number_hash = models.CharField(max_length=64, null=True, editable=False)
    id_number = EncryptedCharField(_("身份证号码"), max_length=18, hash_field="id_number_hash")

- The column holds `sm4gcm:<key id>:<…>`; the model instance, forms and templates see the plaintext (which the
  pages still mask). `max_length` bounds the plaintext.
- `hash_field` names a companion column that always holds the keyed hash of the value: it is set whenever
  the value is assigned (by a form, a service, a factory or a database load), so uniqueness is a constraint
  on the companion and an exact look-up filters on it (`crypto.lookup_hashes`). Declare the companion
  before the encrypted field, so that a new instance's default for it does not overwrite the hash.
- Lookups on the encrypted column itself would compare ciphertexts, which never match: only `isnull` is
  allowed, anything else raises FieldError.
"""

from django.db import models
from django.db.models.query_utils import DeferredAttribute

from . import crypto


class _EncryptedAttribute(DeferredAttribute):
    """Keeps the companion hash in step with the value."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value
        if self.field.hash_field:
            instance.__dict__[self.field.hash_field] = crypto.lookup_hash(value, context=self.field.context) or ""


class EncryptedCharField(models.CharField):
    description = "Text encrypted at rest (SM4-GCM)"

    def __init__(self, *args, hash_field: str | None = None, **kwargs):
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    @property
    def context(self) -> str:
        """The column's name, bound into each value as associated data (and into its hash)."""
        return f"{self.model._meta.label_lower}.{self.name}"

    def db_type(self, connection):
        # The ciphertext is longer than the plaintext that max_length bounds.
        return connection.data_types["TextField"]

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if self.hash_field:  # (the descriptor has set it already; this covers a historical model in a migration)
            setattr(model_instance, self.hash_field, crypto.lookup_hash(value, context=self.context) or "")
        return value

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value, context=self.context)

    def get_db_prep_save(self, value, connection):
        return crypto.encrypt(self.get_prep_value(value), context=self.context)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # Django raises FieldError: "Unsupported lookup … for EncryptedCharField"


class HashCompanions:
    """Model mixin (before models.Model): a save whose update_fields names an encrypted field saves its hash
    too, so that `save(update_fields=[*changes])` cannot leave a stale hash behind."""

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            companions = [
                field.hash_field
                for field in self._meta.concrete_fields
                if isinstance(field, EncryptedCharField) and field.hash_field and field.name in update_fields
            ]
            update_fields = [*update_fields, *companions]
        super().save(*args, update_fields=update_fields, **kwargs)
