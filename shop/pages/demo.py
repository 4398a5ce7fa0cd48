"""The demo shop's legal pages: short sample texts, clearly marked as such. A real shop has its
own written (and checked by a lawyer) before it opens."""

DEMO_NOTE = (
    "Demo text: this page shows where the shop's own text goes. It is not legal advice and "
    "does not bind anyone."
)

# slug, title, kind, position, body
LEGAL_PAGES = [
    (
        "terms-of-sale",
        "Terms of sale",
        "terms",
        1,
        f"""{DEMO_NOTE}

1. Who sells. Comptoir Démo SAS, Lyon, France (see the legal notice) sells to consumers and \
businesses through this website. These terms apply to every order placed by a consumer.

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
    ),
    (
        "withdrawal-and-returns",
        "Withdrawal and returns",
        "withdrawal",
        2,
        f"""{DEMO_NOTE}

You have the right to withdraw from your order within 14 days without giving any reason. The \
period ends 14 days after the day you, or someone you name, receive the last item of the order.

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
    ),
    (
        "privacy",
        "Privacy notice",
        "privacy",
        3,
        f"""{DEMO_NOTE}

Comptoir Démo SAS keeps the data you give us (name, email, addresses, orders) to deliver and \
invoice your orders, to run your account and to meet our accounting obligations.

Orders and invoices are kept for 10 years (French commercial law); an account without orders \
is deleted 3 years after its last use. We never sell your data. Our host and our payment \
providers process data on our behalf, in the European Union.

You may see, correct or delete your data, or object to its use: write to \
privacy@comptoir-demo.example. You may also complain to the CNIL (www.cnil.fr).

Cookies: the shop uses only the cookies it needs to work (your session and your cart).""",
    ),
    (
        "legal-notice",
        "Legal notice",
        "legal_notice",
        4,
        f"""{DEMO_NOTE}

Publisher of this website: the company named above. Director of publication: the chairman \
of the company.

Host: Example Hosting SAS, 1 rue de l'Exemple, 75001 Paris, France.

Consumer mediator: Example Médiation, www.mediateur-exemple.example.""",
    ),
    (
        "delivery",
        "Delivery",
        "delivery",
        5,
        f"""{DEMO_NOTE}

Standard delivery: 3 to 5 working days, €5.90 (excluding VAT), free above €60 of goods.

Express delivery: next working day to Belgium, France, Germany and the Netherlands, €14.90 \
(excluding VAT).

Deliveries outside the European Union are exports: no EU VAT is charged, and import duties \
and taxes of the country of delivery are paid by the buyer.""",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "accessibility",
        6,
        f"""{DEMO_NOTE}

We want everyone to be able to use this shop. It aims to meet the Web Content Accessibility \
Guidelines (WCAG) 2.2 at level AA, as the European Accessibility Act requires.

Status: partially conformant. Known limits: some product photos have generic descriptions.

If you cannot use part of the shop, write to contact@comptoir-demo.example: we will answer \
within 5 working days and help you order another way. If you are not satisfied with our \
answer, you may contact the Défenseur des droits (www.defenseurdesdroits.fr).""",
    ),
]
