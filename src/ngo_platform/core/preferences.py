"""Display preferences (high contrast, larger font) kept in cookies, so they persist for
everyone, signed in or not, and need no JavaScript."""

CONTRAST_COOKIE = "ngo_contrast"
FONT_COOKIE = "ngo_font"
FONT_SIZES = ("normal", "large", "larger")
COOKIE_AGE = 365 * 24 * 3600


def read(request) -> dict:
    font = request.COOKIES.get(FONT_COOKIE, "normal")
    return {
        "high_contrast": request.COOKIES.get(CONTRAST_COOKIE) == "on",
        "font_size": font if font in FONT_SIZES else "normal",
    }
