"""The demo catalogue's texts in French and Arabic, beside the English of `demo.py`: category
names and descriptions, and the product names composed of an adjective and a noun, with the
agreement each language needs (French adjectives follow the noun and agree with its gender and
number; Arabic ones follow the head noun, before its complement, and agree with its gender,
non-human plurals taking the feminine)."""

# English category name: (French name, Arabic name)
CATEGORY_NAMES = {
    "Kitchen": ("Cuisine", "المطبخ"),
    "Cookware": ("Batterie de cuisine", "أواني الطهي"),
    "Knives": ("Couteaux", "السكاكين"),
    "Tableware": ("Arts de la table", "أدوات المائدة"),
    "Office": ("Bureau", "المكتب"),
    "Paper and notebooks": ("Papier et cahiers", "الورق والدفاتر"),
    "Writing": ("Écriture", "أدوات الكتابة"),
    "Desk accessories": ("Accessoires de bureau", "مستلزمات المكتب"),
    "Cleaning": ("Entretien", "التنظيف"),
    "Surface care": ("Soin des surfaces", "العناية بالأسطح"),
    "Cleaning tools": ("Matériel de nettoyage", "أدوات التنظيف"),
    "Garden": ("Jardin", "الحديقة"),
    "Planters": ("Pots et jardinières", "أحواض الزراعة"),
    "Garden tools": ("Outils de jardin", "أدوات الحديقة"),
    "Early access": ("Avant-première", "وصول مبكر"),
}

# English category name: (English, French, Arabic description)
CATEGORY_DESCRIPTIONS = {
    "Kitchen": (
        "Cookware and tools for serious home cooks and busy professional kitchens.",
        "Ustensiles et batteries de cuisine pour les cuisiniers exigeants et les cuisines "
        "professionnelles.",
        "أواني وأدوات طهي لهواة الطبخ المتطلبين وللمطابخ المهنية المزدحمة.",
    ),
    "Cookware": (
        "Pans, pots and casseroles for every hob.",
        "Poêles, casseroles et cocottes pour tous les feux.",
        "مقالٍ وقدور وطناجر لكل أنواع المواقد.",
    ),
    "Knives": (
        "Sharp, balanced knives and what keeps them sharp.",
        "Des couteaux tranchants et équilibrés, et de quoi les affûter.",
        "سكاكين حادة ومتوازنة، وما يحافظ على حدّتها.",
    ),
    "Tableware": (
        "Plates, glasses and linen for the table.",
        "Assiettes, verres et linge pour dresser la table.",
        "أطباق وأكواب ومفارش لتجهيز المائدة.",
    ),
    "Office": (
        "Paper, pens and desk essentials, by the unit or by the box.",
        "Papier, stylos et essentiels du bureau, à l'unité ou par boîte.",
        "ورق وأقلام ومستلزمات مكتبية أساسية، بالقطعة أو بالعلبة.",
    ),
    "Paper and notebooks": (
        "Copy paper, notebooks and notes.",
        "Papier, cahiers et blocs-notes.",
        "ورق طباعة ودفاتر وأوراق ملاحظات.",
    ),
    "Writing": (
        "Pens, pencils and markers.",
        "Stylos, crayons et feutres.",
        "أقلام حبر ورصاص وأقلام تحديد.",
    ),
    "Desk accessories": (
        "Everything that keeps a desk tidy.",
        "Tout pour garder un bureau bien rangé.",
        "كل ما يحافظ على ترتيب المكتب.",
    ),
    "Cleaning": (
        "Professional cleaning products that are kind to surfaces and people.",
        "Produits d'entretien professionnels, doux pour les surfaces comme pour les personnes.",
        "منتجات تنظيف احترافية لطيفة على الأسطح وعلى الناس.",
    ),
    "Surface care": (
        "Sprays, soaps and cleaners for every surface.",
        "Sprays, savons et nettoyants pour toutes les surfaces.",
        "بخاخات وصابون ومنظفات لكل الأسطح.",
    ),
    "Cleaning tools": (
        "Cloths, mops and brushes.",
        "Chiffons, balais et brosses.",
        "أقمشة تنظيف وممسحات وفُرَش.",
    ),
    "Garden": (
        "Planters, tools and care for balconies, gardens and green offices.",
        "Jardinières, outils et soins pour les balcons, les jardins et les bureaux verts.",
        "أحواض زراعة وأدوات ومستلزمات عناية للشرفات والحدائق والمكاتب الخضراء.",
    ),
    "Planters": (
        "Pots, boxes and beds for plants.",
        "Pots, jardinières et carrés potagers.",
        "أصص وأحواض لزراعة النباتات.",
    ),
    "Garden tools": (
        "Hand tools and watering for the garden.",
        "Outils à main et arrosage pour le jardin.",
        "أدوات يدوية ومعدات سقي للحديقة.",
    ),
    "Early access": (
        "New products our VIP customers see first.",
        "Les nouveautés que nos clients VIP découvrent en premier.",
        "منتجات جديدة يكتشفها عملاؤنا المميزون أولاً.",
    ),
}

# English noun: (French noun, its gender and number: m, f, mp or fp),
#               (Arabic head noun, its complement, the gender of the head: m or f)
NOUNS = {
    "Cast-iron skillet": (("Poêle en fonte", "f"), ("مقلاة", "من الحديد الزهر", "f")),
    "Stainless saucepan": (("Casserole en inox", "f"), ("طنجرة", "من الفولاذ المقاوم للصدأ", "f")),
    "Stock pot": (("Faitout", "m"), ("قدر حساء", "", "f")),
    "Sauté pan": (("Sauteuse", "f"), ("مقلاة تشويح", "", "f")),
    "Wok": (("Wok", "m"), ("مقلاة ووك", "", "f")),
    "Dutch oven": (("Cocotte en fonte", "f"), ("قدر", "من الحديد الزهر", "f")),
    "Chef's knife": (("Couteau de chef", "m"), ("سكين طهاة", "", "m")),
    "Paring knife": (("Couteau d'office", "m"), ("سكين تقشير", "", "m")),
    "Bread knife": (("Couteau à pain", "m"), ("سكين خبز", "", "m")),
    "Santoku knife": (("Couteau santoku", "m"), ("سكين سانتوكو", "", "m")),
    "Honing steel": (("Fusil à aiguiser", "m"), ("مسنّ سكاكين", "", "m")),
    "Cleaver": (("Couperet", "m"), ("ساطور", "", "m")),
    "Stoneware plate": (("Assiette en grès", "f"), ("طبق", "من الخزف الحجري", "m")),
    "Linen napkin": (("Serviette en lin", "f"), ("منديل مائدة", "من الكتان", "m")),
    "Water tumbler": (("Verre à eau", "m"), ("كوب ماء", "", "m")),
    "Pasta bowl": (("Assiette à pâtes", "f"), ("وعاء معكرونة", "", "m")),
    "Espresso cup": (("Tasse à expresso", "f"), ("فنجان إسبريسو", "", "m")),
    "Serving platter": (("Plat de service", "m"), ("طبق تقديم", "", "m")),
    "A4 copy paper": (("Papier A4", "m"), ("ورق نسخ", "مقاس A4", "m")),
    "Dotted notebook": (("Carnet pointillé", "m"), ("دفتر", "منقّط الصفحات", "m")),
    "Sticky notes": (("Notes adhésives", "fp"), ("أوراق ملاحظات لاصقة", "", "f")),
    "Legal pad": (("Bloc-notes", "m"), ("دفتر ملاحظات", "", "m")),
    "Index cards": (("Fiches bristol", "fp"), ("بطاقات فهرسة", "", "f")),
    "Gel pen": (("Stylo gel", "m"), ("قلم جل", "", "m")),
    "Fountain pen": (("Stylo plume", "m"), ("قلم حبر", "", "m")),
    "Graphite pencil": (("Crayon graphite", "m"), ("قلم رصاص", "", "m")),
    "Highlighter": (("Surligneur", "m"), ("قلم تظليل", "", "m")),
    "Fineliner": (("Feutre fin", "m"), ("قلم", "رفيع الرأس", "m")),
    "Stapler": (("Agrafeuse", "f"), ("دبّاسة", "", "f")),
    "Desk tray": (("Corbeille à courrier", "f"), ("حامل أوراق", "", "m")),
    "Cable organiser": (("Range-câbles", "m"), ("منظّم كابلات", "", "m")),
    "Monitor stand": (("Support d'écran", "m"), ("حامل شاشة", "", "m")),
    "Desk lamp": (("Lampe de bureau", "f"), ("مصباح مكتب", "", "m")),
    "Multi-surface spray": (("Spray multisurface", "m"), ("بخاخ تنظيف", "متعدد الأسطح", "m")),
    "Glass cleaner": (("Nettoyant vitres", "m"), ("منظّف زجاج", "", "m")),
    "Floor soap": (("Savon pour sols", "m"), ("صابون أرضيات", "", "m")),
    "Degreaser": (("Dégraissant", "m"), ("مزيل دهون", "", "m")),
    "Disinfectant wipes": (("Lingettes désinfectantes", "fp"), ("مناديل", "مطهّرة", "f")),
    "Microfibre cloth": (("Chiffon microfibre", "m"), ("قطعة قماش", "من الألياف الدقيقة", "f")),
    "Flat mop": (("Balai à plat", "m"), ("ممسحة", "مسطّحة", "f")),
    "Scrubbing brush": (("Brosse à récurer", "f"), ("فرشاة تنظيف", "", "f")),
    "Spray bottle": (("Pulvérisateur", "m"), ("زجاجة رش", "", "f")),
    "Dustpan set": (("Ensemble pelle et balayette", "m"), ("طقم مجرفة وفرشاة", "", "m")),
    "Terracotta pot": (("Pot en terre cuite", "m"), ("أصيص", "من الفخار", "m")),
    "Window box": (("Jardinière de balcon", "f"), ("حوض زراعة", "للنوافذ", "m")),
    "Hanging planter": (("Suspension pour plantes", "f"), ("أصيص", "معلّق", "m")),
    "Raised bed": (("Carré potager", "m"), ("حوض زراعة", "مرتفع", "m")),
    "Plant saucer": (("Soucoupe pour pot", "f"), ("صحن أصيص", "", "m")),
    "Hand trowel": (("Transplantoir", "m"), ("مجرفة يدوية", "", "f")),
    "Pruning shears": (("Sécateur", "m"), ("مقص تقليم", "", "m")),
    "Watering can": (("Arrosoir", "m"), ("إبريق سقي", "", "m")),
    "Garden gloves": (("Gants de jardinage", "mp"), ("قفازات حدائق", "", "f")),
    "Hose reel": (("Dévidoir de tuyau", "m"), ("بكرة خرطوم", "", "f")),
    "Leaf rake": (("Râteau à feuilles", "m"), ("مشط أوراق", "", "m")),
    "Limited print": (("Tirage limité", "m"), ("طبعة", "محدودة", "f")),
    "Copper kettle": (("Bouilloire en cuivre", "f"), ("غلاية", "من النحاس", "f")),
    "Walnut board": (("Planche en noyer", "f"), ("لوح", "من خشب الجوز", "m")),
}

# English adjective: French by gender and number (after the noun), Arabic by gender (after the
# head noun), or one Arabic phrase put after the whole name.
ADJECTIVES = {
    "Classic": (
        {"m": "classique", "f": "classique", "mp": "classiques", "fp": "classiques"},
        {"m": "كلاسيكي", "f": "كلاسيكية"},
    ),
    "Pro": ({"m": "pro", "f": "pro", "mp": "pro", "fp": "pro"}, {"m": "احترافي", "f": "احترافية"}),
    "Compact": (
        {"m": "compact", "f": "compacte", "mp": "compacts", "fp": "compactes"},
        {"m": "مدمج", "f": "مدمجة"},
    ),
    "Large": (dict.fromkeys(("m", "f", "mp", "fp"), "grand modèle"), {"m": "كبير", "f": "كبيرة"}),
    "Everyday": (dict.fromkeys(("m", "f", "mp", "fp"), "du quotidien"), "للاستخدام اليومي"),
    "Heritage": (dict.fromkeys(("m", "f", "mp", "fp"), "tradition"), {"m": "تراثي", "f": "تراثية"}),
}

PRODUCT_DESCRIPTIONS = (
    "{name} from our {category} range. Built to last, easy to care for and chosen by "
    "professionals.\n\nSold individually; trade buyers order in packs at their own prices.",
    "{name}, de notre rayon {category}. Un article robuste, facile à entretenir et apprécié "
    "des professionnels.\n\nVendu à l'unité ; les clients professionnels commandent par lots, "
    "à leurs propres prix.",
    "{name} من تشكيلة {category}. منتج متين وسهل العناية، يختاره المحترفون.\n\nيُباع "
    "بالقطعة، ويطلبه عملاء الجملة بالعبوات وبأسعارهم الخاصة.",
)


def category_texts(name: str) -> dict[str, str]:
    """The name and description fields of a demo category, in the three languages."""
    french, arabic = CATEGORY_NAMES[name]
    descriptions = CATEGORY_DESCRIPTIONS[name]
    return {
        "name_en": name,
        "name_fr": french,
        "name_ar": arabic,
        "description_en": descriptions[0],
        "description_fr": descriptions[1],
        "description_ar": descriptions[2],
    }


def product_names(noun: str, adjective: str | None = None) -> dict[str, str]:
    """The name fields of a demo product: the noun, qualified by the adjective if any."""
    (french, gender), (head, complement, arabic_gender) = NOUNS[noun]
    english = f"{adjective} {noun.lower()}" if adjective else noun
    arabic_words = [head, complement]
    if adjective:
        french = f"{french} {ADJECTIVES[adjective][0][gender]}"
        arabic_adjective = ADJECTIVES[adjective][1]
        if isinstance(arabic_adjective, dict):
            arabic_words = [head, arabic_adjective[arabic_gender], complement]
        else:
            arabic_words.append(arabic_adjective)
    return {
        "name_en": english,
        "name_fr": french,
        "name_ar": " ".join(word for word in arabic_words if word),
    }


def product_descriptions(names: dict[str, str], category: dict[str, str]) -> dict[str, str]:
    """The description fields of a demo product, naming it and its category."""
    return {
        f"description_{language}": template.format(
            name=names[f"name_{language}"],
            category=(
                category[f"name_{language}"].lower()
                if language != "ar"
                else category[f"name_{language}"]
            ),
        )
        for language, template in zip(("en", "fr", "ar"), PRODUCT_DESCRIPTIONS, strict=True)
    }
