"""Screen objects of the mobile app (locators by accessibility id)."""
