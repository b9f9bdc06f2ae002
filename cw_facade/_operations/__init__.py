"""Domain methods written once as operations (generators of ``APIRequest``), per resource."""
