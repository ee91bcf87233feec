"""Page objects: where the web suite's locators live (accessible role and French label first)."""
