"""Identity: gov.gr (TAXISnet) login, sessions, people, roles, voter rolls, my data."""
