"""The demo catalogue: its categories, the products the demo price rules are about (with
realistic prices, always in stock) and generated product pictures. The texts in French and
Arabic, and the category descriptions, are in `demo_texts`."""

from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

CATALOGUE = {
    "Kitchen": {
        "Cookware": [
            "Cast-iron skillet",
            "Stainless saucepan",
            "Stock pot",
            "Sauté pan",
            "Wok",
            "Dutch oven",
        ],
        "Knives": [
            "Chef's knife",
            "Paring knife",
            "Bread knife",
            "Santoku knife",
            "Honing steel",
            "Cleaver",
        ],
        "Tableware": [
            "Stoneware plate",
            "Linen napkin",
            "Water tumbler",
            "Pasta bowl",
            "Espresso cup",
            "Serving platter",
        ],
    },
    "Office": {
        "Paper and notebooks": [
            "A4 copy paper",
            "Dotted notebook",
            "Sticky notes",
            "Legal pad",
            "Index cards",
        ],
        "Writing": ["Gel pen", "Fountain pen", "Graphite pencil", "Highlighter", "Fineliner"],
        "Desk accessories": [
            "Stapler",
            "Desk tray",
            "Cable organiser",
            "Monitor stand",
            "Desk lamp",
        ],
    },
    "Cleaning": {
        "Surface care": [
            "Multi-surface spray",
            "Glass cleaner",
            "Floor soap",
            "Degreaser",
            "Disinfectant wipes",
        ],
        "Cleaning tools": [
            "Microfibre cloth",
            "Flat mop",
            "Scrubbing brush",
            "Spray bottle",
            "Dustpan set",
        ],
    },
    "Garden": {
        "Planters": [
            "Terracotta pot",
            "Window box",
            "Hanging planter",
            "Raised bed",
            "Plant saucer",
        ],
        "Garden tools": [
            "Hand trowel",
            "Pruning shears",
            "Watering can",
            "Garden gloves",
            "Hose reel",
            "Leaf rake",
        ],
    },
}
# Realistic base prices for the products the demo price rules are about (the rest are random).
DEMO_PRICES = {
    "KIT-101": "54.00",
    "KIT-201": "29.90",
    "OFF-201": "2.40",
    "CLE-201": "3.90",
    "KIT-305": "6.50",
}
# The products the rules demonstrate are in stock, enough to reach every tier.
DEMO_STOCK = dict.fromkeys(DEMO_PRICES, 500)
ADJECTIVES = ["Classic", "Pro", "Compact", "Large", "Everyday", "Heritage"]
PALETTE = ["#1f4e5f", "#6b4226", "#2e6b4f", "#7a2e3b", "#3b4a8c", "#8c6d1f", "#4a5a65"]


def demo_image(label: str, color: str, size: int = 800) -> bytes:
    """A clean generated product picture: coloured background, a tile and the initials."""
    image = Image.new("RGB", (size, size), color)
    draw = ImageDraw.Draw(image)
    margin = size // 6
    draw.rounded_rectangle(
        (margin, margin, size - margin, size - margin), radius=size // 12, fill="#f5f3ef"
    )
    initials = "".join(word[0] for word in label.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 4)
    draw.text((size / 2, size / 2), initials, fill=color, font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
