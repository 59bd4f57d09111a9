"""Security: what protects the data itself. Encryption at rest (`crypto`, `fields`), masking of personal data
wherever it is shown or logged (`masking`), the bounds of every input (`limits`) and who the client is
(`clients`).

The lowest wing: it imports no other wing of the kernel and no app.
"""
