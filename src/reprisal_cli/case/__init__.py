"""The case file (contract §7): a case followed over time, always age-encrypted.

`model` holds the content and the consent ledger's rule, `store` reads and writes the encrypted
file (atomically, refusing to overwrite a revision it did not read), `followup` finds what is due
across a caseload, and `plan` makes a case's plan with the consent in force on a day.
"""
