"""The demo shop's legal pages in English, French and Arabic: short sample texts, clearly
marked as such. A real shop has its own written (and checked by a lawyer) before it opens."""

from typing import NamedTuple

DEMO_NOTE = {
    "en": (
        "Demo text: this page shows where the shop's own text goes. It is not legal advice and "
        "does not bind anyone."
    ),
    "fr": (
        "Texte de démonstration : cette page indique l'emplacement du texte propre à la "
        "boutique. Elle ne constitue pas un conseil juridique et n'engage personne."
    ),
    "ar": (
        "نص تجريبي: تبيّن هذه الصفحة موضع النص الخاص بالمتجر، ولا تُعدّ استشارة قانونية "
        "ولا تُلزم أي طرف."
    ),
}


class LegalPage(NamedTuple):
    slug: str
    kind: str
    position: int
    title: dict[str, str]  # language code: title
    body: dict[str, str]  # language code: text, after the demo note


def _texts(**bodies: str) -> dict[str, str]:
    return {language: f"{DEMO_NOTE[language]}\n\n{body}" for language, body in bodies.items()}


LEGAL_PAGES = [
    LegalPage(
        "terms-of-sale",
        "terms",
        1,
        {"en": "Terms of sale", "fr": "Conditions générales de vente", "ar": "الشروط العامة للبيع"},
        _texts(
            en="""1. Who sells. Comptoir Démo SAS, Lyon, France (see the legal notice) sells to \
consumers and businesses through this website. These terms apply to every order placed by a \
consumer.

2. Prices. Prices are shown in euros. Consumers see prices including the VAT of the country \
of delivery; the VAT is shown on the order review and the invoice. Shipping costs are shown \
before you place your order.

3. Order. Your order is placed when you tick the box accepting these terms and press "Place \
order". You receive a confirmation by email with your order number.

4. Payment. By bank transfer to the account shown on the confirmation, with the order number \
as reference. The goods are shipped once the payment has arrived.

5. Delivery. See the delivery page for times and costs. The risk passes to you when you or \
someone you name receives the goods.

6. Right of withdrawal. Consumers may withdraw within 14 days of delivery without giving a \
reason: see the withdrawal and returns page.

7. Guarantees. The legal guarantee of conformity (2 years) and the guarantee against hidden \
defects apply to every product.

8. Disputes. French law applies. Before going to court, you may contact the consumer \
mediator named in the legal notice, or the European Online Dispute Resolution platform.""",
            fr="""1. Vendeur. La société Comptoir Démo SAS, Lyon, France (voir les mentions \
légales) vend aux consommateurs et aux professionnels par l'intermédiaire du présent site. Les \
présentes conditions s'appliquent à toute commande passée par un consommateur.

2. Prix. Les prix sont indiqués en euros. Les consommateurs voient les prix toutes taxes \
comprises, TVA du pays de livraison incluse ; le montant de la TVA figure sur le récapitulatif \
de la commande et sur la facture. Les frais de livraison sont indiqués avant la validation de \
la commande.

3. Commande. La commande est passée lorsque l'acheteur coche la case d'acceptation des \
présentes conditions et clique sur « Passer commande ». Il reçoit une confirmation par courriel \
indiquant le numéro de sa commande.

4. Paiement. Le paiement s'effectue par virement bancaire sur le compte indiqué dans la \
confirmation, en mentionnant le numéro de commande en référence. Les marchandises sont \
expédiées dès réception du paiement.

5. Livraison. Les délais et les frais de livraison figurent sur la page « Livraison ». Les \
risques sont transférés à l'acheteur lorsque celui-ci, ou un tiers désigné par lui, prend \
physiquement possession des marchandises.

6. Droit de rétractation. Le consommateur dispose d'un délai de quatorze jours à compter de la \
livraison pour exercer son droit de rétractation, sans avoir à motiver sa décision : voir la \
page « Rétractation et retours ».

7. Garanties. La garantie légale de conformité (deux ans) et la garantie des vices cachés \
s'appliquent à tous les produits.

8. Litiges. Les présentes conditions sont soumises au droit français. Avant toute action en \
justice, le consommateur peut recourir gratuitement au médiateur de la consommation désigné \
dans les mentions légales ou à la plateforme européenne de règlement en ligne des litiges.""",
            ar="""1. البائع. تبيع شركة Comptoir Démo SAS، ومقرها ليون بفرنسا (انظر الإشعار \
القانوني)، للمستهلكين والمهنيين عبر هذا الموقع. وتسري هذه الشروط على كل طلب يقدّمه مستهلك.

2. الأسعار. تُعرض الأسعار باليورو. ويرى المستهلكون الأسعار شاملةً ضريبة القيمة المضافة \
المطبّقة في بلد التسليم، ويُبيَّن مبلغ الضريبة في ملخص الطلب وفي الفاتورة. وتُعرض تكاليف \
الشحن قبل تقديم الطلب.

3. الطلب. يُعدّ الطلب مقدَّمًا متى أشّر المشتري على خانة قبول هذه الشروط وضغط على زر «قدّم \
الطلب». ويتلقى المشتري تأكيدًا بالبريد الإلكتروني يتضمن رقم طلبه.

4. الدفع. يتم الدفع بتحويل مصرفي إلى الحساب المبيَّن في التأكيد، مع ذكر رقم الطلب مرجعًا \
للتحويل. وتُشحن البضائع فور وصول المبلغ.

5. التسليم. تُبيَّن مواعيد التسليم وتكاليفه في صفحة «التوصيل». وتنتقل تبعة الهلاك إلى \
المشتري عند تسلّمه البضائع بنفسه أو تسلّمها من يعيّنه لذلك.

6. حق العدول. يحق للمستهلك العدول عن الشراء خلال أربعة عشر يومًا من تاريخ التسليم دون \
إبداء أسباب: انظر صفحة «العدول والإرجاع».

7. الضمانات. يسري الضمان القانوني للمطابقة (سنتان) وضمان العيوب الخفية على جميع المنتجات.

8. النزاعات. يخضع هذا العقد للقانون الفرنسي. ويجوز للمستهلك، قبل اللجوء إلى القضاء، التوجه \
إلى وسيط الاستهلاك المذكور في الإشعار القانوني أو إلى المنصة الأوروبية لتسوية النزاعات عبر \
الإنترنت.""",
        ),
    ),
    LegalPage(
        "withdrawal-and-returns",
        "withdrawal",
        2,
        {"en": "Withdrawal and returns", "fr": "Rétractation et retours", "ar": "العدول والإرجاع"},
        _texts(
            en="""You have the right to withdraw from your order within 14 days without giving \
any reason. The period ends 14 days after the day you, or someone you name, receive the last \
item of the order.

To withdraw, tell us by email at contact@comptoir-demo.example, with your order number, or \
use the model form below. Send the items back within 14 days of telling us; the cost of the \
return is yours unless the item is faulty.

We refund everything you paid, including the standard delivery cost, within 14 days of your \
message, by the means you paid with. We may wait until we have received the items back.

Model withdrawal form: "To Comptoir Démo SAS, 12 rue de la République, 69002 Lyon: I hereby \
give notice that I withdraw from my contract for the following goods: ... Ordered on / \
received on: ... Name, address, date."

Trade buyers (orders under a trade account) have no right of withdrawal; see their account \
agreement for returns.""",
            fr="""Vous disposez d'un délai de quatorze jours pour vous rétracter de votre \
commande, sans avoir à motiver votre décision. Ce délai expire quatorze jours après le jour où \
vous-même, ou un tiers désigné par vous, prenez physiquement possession du dernier article de \
la commande.

Pour exercer ce droit, notifiez-nous votre décision par courriel à \
contact@comptoir-demo.example en indiquant votre numéro de commande, ou utilisez le formulaire \
type ci-dessous. Renvoyez les articles au plus tard quatorze jours après cette notification ; \
les frais de retour sont à votre charge, sauf si l'article est défectueux.

Nous vous remboursons la totalité des sommes versées, frais de livraison standard compris, au \
plus tard quatorze jours après réception de votre notification, par le moyen de paiement que \
vous avez utilisé. Nous pouvons différer le remboursement jusqu'à réception des articles.

Formulaire type de rétractation : « À l'attention de Comptoir Démo SAS, 12 rue de la \
République, 69002 Lyon : je vous notifie par la présente ma rétractation du contrat portant \
sur la vente des biens ci-dessous : ... Commandé le / reçu le : ... Nom, adresse, date. »

Les acheteurs professionnels (commandes passées sous un compte professionnel) ne bénéficient \
pas du droit de rétractation ; les retours sont régis par leur contrat de compte.""",
            ar="""يحق لك العدول عن طلبك خلال أربعة عشر يومًا دون إبداء أي سبب. وتنقضي هذه المهلة \
بعد أربعة عشر يومًا من اليوم الذي تتسلّم فيه أنت، أو من تعيّنه، آخر صنف من أصناف الطلب.

لممارسة هذا الحق، أبلغنا بقرارك بالبريد الإلكتروني على العنوان contact@comptoir-demo.example \
مع ذكر رقم طلبك، أو استخدم النموذج المرفق أدناه. وأعد الأصناف خلال أربعة عشر يومًا من \
إبلاغنا، وتتحمّل تكاليف الإرجاع ما لم يكن الصنف معيبًا.

نردّ إليك جميع المبالغ التي دفعتها، بما فيها تكلفة التوصيل العادي، خلال أربعة عشر يومًا من \
تاريخ تسلّمنا إشعارك، وبوسيلة الدفع نفسها التي استخدمتها. ويجوز لنا إرجاء الردّ إلى حين \
تسلّم الأصناف المرتجعة.

نموذج العدول: «إلى شركة Comptoir Démo SAS، 12 rue de la République، 69002 ليون: أُخطركم \
بموجب هذا بعدولي عن عقد شراء السلع التالية: ... تاريخ الطلب / تاريخ التسلّم: ... الاسم \
والعنوان والتاريخ.»

لا يتمتع المشترون المهنيون (الطلبات المقدَّمة من حساب مهني) بحق العدول، وتخضع عمليات \
الإرجاع لديهم لاتفاقية حسابهم.""",
        ),
    ),
    LegalPage(
        "privacy",
        "privacy",
        3,
        {"en": "Privacy notice", "fr": "Politique de confidentialité", "ar": "إشعار الخصوصية"},
        _texts(
            en="""Comptoir Démo SAS keeps the data you give us (name, email, addresses, \
orders) to deliver and invoice your orders, to run your account and to meet our accounting \
obligations.

Orders and invoices are kept for 10 years (French commercial law); an account without orders \
is deleted 3 years after its last use. We never sell your data. Our host and our payment \
providers process data on our behalf, in the European Union.

You may see, correct or delete your data, or object to its use: write to \
privacy@comptoir-demo.example. You may also complain to the CNIL (www.cnil.fr).

Cookies: the shop uses only the cookies it needs to work (your session and your cart).""",
            fr="""La société Comptoir Démo SAS conserve les données que vous nous communiquez \
(nom, adresse électronique, adresses postales, commandes) afin de livrer et de facturer vos \
commandes, de gérer votre compte et de satisfaire à ses obligations comptables.

Les commandes et les factures sont conservées pendant dix ans (Code de commerce) ; un compte \
sans commande est supprimé trois ans après sa dernière utilisation. Vos données ne sont jamais \
vendues. Notre hébergeur et nos prestataires de paiement les traitent pour notre compte, au \
sein de l'Union européenne.

Vous disposez d'un droit d'accès, de rectification et d'effacement de vos données, ainsi que \
d'un droit d'opposition à leur traitement : écrivez à privacy@comptoir-demo.example. Vous \
pouvez également introduire une réclamation auprès de la CNIL (www.cnil.fr).

Cookies : la boutique n'utilise que les cookies strictement nécessaires à son fonctionnement \
(votre session et votre panier).""",
            ar="""تحتفظ شركة Comptoir Démo SAS بالبيانات التي تزوّدنا بها (الاسم والبريد \
الإلكتروني والعناوين والطلبات) لتسليم طلباتك وإصدار فواتيرها، وإدارة حسابك، والوفاء \
بالتزاماتها المحاسبية.

تُحفظ الطلبات والفواتير مدة عشر سنوات (القانون التجاري الفرنسي)، ويُحذف الحساب الذي لا \
طلبات فيه بعد ثلاث سنوات من آخر استخدام له. ولا نبيع بياناتك أبدًا. ويعالج مزوّد الاستضافة \
ومقدّمو خدمات الدفع البيانات نيابةً عنا داخل الاتحاد الأوروبي.

يحق لك الاطلاع على بياناتك وتصحيحها وحذفها، والاعتراض على استخدامها، وذلك بمراسلتنا على \
العنوان privacy@comptoir-demo.example. كما يحق لك تقديم شكوى إلى اللجنة الوطنية للمعلوماتية \
والحريات (CNIL) عبر الموقع www.cnil.fr.

ملفات تعريف الارتباط: لا يستخدم المتجر إلا الملفات اللازمة لعمله (جلستك وسلة مشترياتك).""",
        ),
    ),
    LegalPage(
        "legal-notice",
        "legal_notice",
        4,
        {"en": "Legal notice", "fr": "Mentions légales", "ar": "الإشعار القانوني"},
        _texts(
            en="""Publisher of this website: the company named above. Director of \
publication: the chairman of the company.

Host: Example Hosting SAS, 1 rue de l'Exemple, 75001 Paris, France.

Consumer mediator: Example Médiation, www.mediateur-exemple.example.""",
            fr="""Éditeur du site : la société désignée ci-dessus. Directeur de la \
publication : le président de la société.

Hébergeur : Example Hosting SAS, 1 rue de l'Exemple, 75001 Paris, France.

Médiateur de la consommation : Example Médiation, www.mediateur-exemple.example.""",
            ar="""ناشر الموقع: الشركة المذكورة أعلاه. مدير النشر: رئيس الشركة.

مزوّد الاستضافة: Example Hosting SAS، 1 rue de l'Exemple، 75001 باريس، فرنسا.

وسيط الاستهلاك: Example Médiation، www.mediateur-exemple.example.""",
        ),
    ),
    LegalPage(
        "delivery",
        "delivery",
        5,
        {"en": "Delivery", "fr": "Livraison", "ar": "التوصيل"},
        _texts(
            en="""Standard delivery: 3 to 5 working days, €5.90 (excluding VAT), free above €60 \
of goods.

Express delivery: next working day to Belgium, France, Germany and the Netherlands, €14.90 \
(excluding VAT).

Deliveries outside the European Union are exports: no EU VAT is charged, and import duties \
and taxes of the country of delivery are paid by the buyer.""",
            fr="""Livraison standard : 3 à 5 jours ouvrés, 5,90 € HT, offerte à partir de \
60 € de marchandises.

Livraison express : le jour ouvré suivant en Allemagne, en Belgique, en France et aux \
Pays-Bas, 14,90 € HT.

Les livraisons hors de l'Union européenne constituent des exportations : aucune TVA \
européenne n'est facturée, et les droits et taxes à l'importation du pays de livraison sont à \
la charge de l'acheteur.""",
            ar="""التوصيل العادي: من 3 إلى 5 أيام عمل، بتكلفة 5.90 يورو (دون ضريبة القيمة \
المضافة)، ومجانًا للطلبات التي تتجاوز قيمة بضائعها 60 يورو.

التوصيل السريع: في يوم العمل التالي إلى ألمانيا وبلجيكا وفرنسا وهولندا، بتكلفة 14.90 يورو \
(دون ضريبة القيمة المضافة).

تُعدّ عمليات التوصيل إلى خارج الاتحاد الأوروبي صادرات، فلا تُفرض عليها ضريبة القيمة المضافة \
الأوروبية، ويتحمّل المشتري رسوم الاستيراد وضرائبه في بلد التسليم.""",
        ),
    ),
    LegalPage(
        "accessibility",
        "accessibility",
        6,
        {
            "en": "Accessibility statement",
            "fr": "Déclaration d'accessibilité",
            "ar": "بيان إمكانية الوصول",
        },
        _texts(
            en="""We want everyone to be able to use this shop. It aims to meet the Web Content \
Accessibility Guidelines (WCAG) 2.2 at level AA, as the European Accessibility Act requires.

Status: partially conformant. Known limits: some product photos have generic descriptions.

If you cannot use part of the shop, write to contact@comptoir-demo.example: we will answer \
within 5 working days and help you order another way. If you are not satisfied with our \
answer, you may contact the Défenseur des droits (www.defenseurdesdroits.fr).""",
            fr="""Nous souhaitons que chacun puisse utiliser cette boutique. Elle vise la \
conformité aux Règles pour l'accessibilité des contenus Web (WCAG) 2.2, niveau AA, \
conformément à l'acte législatif européen sur l'accessibilité.

État de conformité : partiellement conforme. Limites connues : certaines photos de produits \
sont accompagnées de descriptions génériques.

Si vous ne parvenez pas à utiliser une partie de la boutique, écrivez à \
contact@comptoir-demo.example : nous vous répondrons dans un délai de cinq jours ouvrés et \
vous aiderons à passer commande par un autre moyen. Si notre réponse ne vous satisfait pas, \
vous pouvez saisir le Défenseur des droits (www.defenseurdesdroits.fr).""",
            ar="""نريد أن يتمكّن الجميع من استخدام هذا المتجر. ويسعى المتجر إلى الامتثال \
لإرشادات إتاحة محتوى الويب (WCAG) 2.2 في المستوى AA، وفقًا لما يقتضيه القانون الأوروبي \
لإمكانية الوصول.

حالة الامتثال: امتثال جزئي. القيود المعروفة: بعض صور المنتجات مصحوبة بأوصاف عامة.

إذا تعذّر عليك استخدام جزء من المتجر، فراسلنا على العنوان contact@comptoir-demo.example، \
وسنجيبك خلال خمسة أيام عمل ونساعدك على تقديم طلبك بطريقة أخرى. وإذا لم تكن راضيًا عن ردّنا، \
فيمكنك التوجه إلى المدافع عن الحقوق (Défenseur des droits) عبر الموقع \
www.defenseurdesdroits.fr.""",
        ),
    ),
]
