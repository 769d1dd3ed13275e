"""The secret ballot's mathematics: no database, no Reflex (see voting/README.md § Encrypted ballots).

``group``     the prime-order group (libsodium through PyNaCl), hashing, small discrete logs
``proofs``    exponential ElGamal, disjunctive Chaum–Pedersen proofs
``threshold`` k-of-n trustees: Pedersen DKG with Feldman commitments, partial decryptions
``ballot``    encrypted ballots of the four kinds, their proofs, audits (Benaloh), fingerprints
``record``    the election record: building it and verifying it independently
"""
