"""Her words, encrypted in the database with keys kept outside it (DATA_KEYS, see data_keys.py).

cipher.py seals and opens one value, bound to its row and field; fields.py holds the model
fields that use it (EncryptedCharField, EncryptedTextField, RowKeyField); table.py is the one
table that says, for every text field of every model, whether it is encrypted or why not.
"""
