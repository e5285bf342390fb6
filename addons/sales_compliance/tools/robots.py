def mention_mobile(number):
    """A mobile number as a mention carries it: its digits (and a leading ``+``) only."""
    number = (number or "").strip()
    digits = "".join(char for char in number if char.isdigit())
    return f"+{digits}" if digits and number.startswith("+") else digits
