"""Publishing after 保密审查: the office proposes what the public may see, a confidentiality
reviewer passes or refuses it, and only what passed reaches the public pages."""
