//! The English topics: what visitors come to a web shop's chat for. See [`crate::topics::Topic`].

use crate::topics::Topic;

pub const TOPICS: &[Topic] = &[
    Topic {
        menu: "Support",
        depts: &["Support", "Returns & Exchanges"],
        wrapup: "Shipping: Delayed",
        open: &[
            "Hi, my order {o} hasn't arrived yet.",
            "Hello, where is my parcel? Order {o}, it was due on Friday.",
            "My order still hasn't come. It's been ten days. Order number {o}.",
        ],
        qa: &[
            ("I'm sorry to hear that. Could you confirm the delivery address on the order?", "It's going to my office in {city}, same as last time."),
            ("Sorry about the wait! Where should it have been delivered?", "To my flat in {city}, the address on my account."),
        ],
        fix: &[
            "Thanks. Order {o} shipped on Monday and is with the courier now: tracking says it arrives tomorrow before 6 pm.",
            "Found it: the parcel was held at the {city} depot because of a missing door number. I've added it, and it goes out again tomorrow morning.",
        ],
        fixed: &["Great, thanks for checking!", "Ah, that explains it. Thanks!"],
        retry: &["Let me ask the courier directly; sometimes their tracking lags a day behind."],
        stuck: ["That's what tracking said last week too, and nothing came.", "I really don't want to wait another week."],
        more: ("Can I pick a delivery time?", "Yes: the courier's email has a link where you can choose a two-hour slot."),
        escalate: &[
            "Tracking hasn't moved for eight days, so I've opened an investigation with the courier (case #{t}). If it's lost, we send a replacement at no cost.",
            "I've asked our warehouse to check whether order {o} really left (ticket #{t}). They'll email you within two business days.",
        ],
        steps: "Here is what I see for order {o}:\n• Packed: Monday\n• Shipped: Tuesday (courier: DHL)\n• Last scan: {city} depot, Thursday 14:02",
        bot: "You can track any order at https://shop.example.com/track: enter the order number and your email.",
        file: None,
    },
    Topic {
        menu: "Billing",
        depts: &["Billing"],
        wrapup: "Billing: Refund",
        open: &[
            "Hello, I was charged twice this month.",
            "Why are there two charges of $29 on my card from you?",
        ],
        qa: &[
            ("I'm sorry about that. Could you tell me the last four digits of the card?", "Card ending in 4417."),
            ("Let's sort that out. On which dates were you charged?", "The 3rd and the 4th, $29 each."),
        ],
        fix: &[
            "I can see both. I've refunded the duplicate charge; it takes 3-5 business days to reach your card.",
            "You're right, our renewal ran twice. The second charge is refunded, and you'll get a confirmation email in a minute.",
        ],
        fixed: &["Thank you, that's a relief.", "OK, perfect. Thanks for the quick help."],
        retry: &["Then it may be a pending authorisation rather than a charge. Could you check whether one of them says \"pending\"?"],
        stuck: ["My bank says both are final, and I don't see any refund.", "Neither says pending. Both are booked."],
        more: ("Will this happen again next month?", "It shouldn't: the second charge came from a retry on our side, and I've flagged your account to be checked next month."),
        escalate: &[
            "Our system shows only one charge, so I've asked our payments team to trace the second one with the bank (ticket #{t}). They reply within one business day.",
        ],
        steps: "Here is what happened:\n1. Your renewal ran as usual ($29)\n2. A retry charged the card again by mistake ($29)\n3. The retry is refunded today",
        bot: "Refunds of duplicate charges can be requested at https://shop.example.com/billing. They take 3-5 business days.",
        file: Some("bank statement.pdf"),
    },
    Topic {
        menu: "Support",
        depts: &["Technical Support", "Support"],
        wrapup: "Support: Login",
        open: &[
            "I can't log in to my account: it says \"invalid token\".",
            "Login keeps failing with \"invalid token\" since yesterday.",
            "Every time I try to sign in I get error 403: forbidden.",
        ],
        qa: &[
            ("Does that happen in every browser, or only in one?", "Only in Chrome. Firefox works fine."),
            ("Have you changed your password recently, or is this out of the blue?", "Out of the blue. I changed nothing."),
            ("Did anything change on your side lately? A new password, a new device?", "I reset my password last week, if that matters."),
        ],
        fix: &[
            "That's an old session cookie. Please clear the cookies for shop.example.com (Settings > Privacy > Cookies) and log in again.",
            "I see several old sessions on your account. I've signed them all out; please log in once more.",
        ],
        fixed: &["That did it, I'm in. Thanks!", "Works now 👍", "Logged in. You're a star."],
        retry: &[
            "OK, let's try a private window: that rules out extensions and cached files.",
            "Could you try the password reset link once more? I've just cleared the lock on the account.",
        ],
        stuck: ["I did that, still \"invalid token\".", "Same error, no difference."],
        more: ("Should I change my password now, to be safe?", "It can't hurt: Settings > Security > Password. That signs out your other sessions too."),
        escalate: &[
            "I've passed this to our engineers with your browser details (ticket #{t}). They'll email you as soon as it's fixed.",
            "This needs someone with access to the login servers. I've opened ticket #{t}; you'll hear from them today.",
        ],
        steps: "Please try these in order:\n1. Log out everywhere\n2. Clear cookies for shop.example.com\n3. Close the browser completely\n4. Log in again",
        bot: "Most login problems go away after clearing cookies. You can also reset your password at https://shop.example.com/account/reset.",
        file: Some("screenshot.png"),
    },
    Topic {
        menu: "Sales",
        depts: &["Sales", "Billing"],
        wrapup: "Sales: Upgrade",
        open: &[
            "How do I change my plan from Starter to Business?",
            "We've outgrown the Starter plan. What would Business cost us?",
        ],
        qa: &[
            ("Happy to help! How many people will use it?", "About 12 of us."),
            ("Sure! How many agents do you have at the moment?", "Eight now, maybe fifteen by next spring."),
        ],
        fix: &[
            "Business is $29 per seat per month. You can switch under Settings > Billing > Plan; this month is prorated, so you only pay for the days left.",
            "Business costs $29 a seat a month, billed for the seats you use. You can switch yourself under Settings > Billing > Plan, and this month is prorated.",
        ],
        fixed: &["Found it and switched. Thanks!", "Great, that was easy."],
        retry: &["The plan page sometimes needs a reload after a change; could you refresh it?"],
        stuck: ["There's no Plan option under Billing for me.", "Reloaded, still not there."],
        more: ("Can we go back to Starter later if it's too much?", "Yes, any time; the change takes effect on the next billing date."),
        escalate: &[
            "Plans for more than ten seats go through our account team. I've asked them to contact you (request #{t}).",
        ],
        steps: "Our plans:\n- Starter: $9 per seat, up to 5 seats\n- Business: $29 per seat\n- Enterprise: contact sales",
        bot: "You can compare plans at https://shop.example.com/pricing and change yours under Settings > Billing > Plan.",
        file: None,
    },
    Topic {
        menu: "Support",
        depts: &["Technical Support"],
        wrapup: "Support: Bug report",
        open: &[
            "The chat widget doesn't load on our site since this morning.",
            "Our website's chat button has disappeared. Nothing changed on our side!",
        ],
        qa: &[
            ("Sorry about that! Do you see any error in the browser console?", "Yes: Refused to load the script from widget.example.com because it violates the Content Security Policy."),
            ("Which pages is it missing on, and in which browser?", "Every page, in Chrome and Safari. The console shows a CSP error."),
        ],
        fix: &[
            "That's your Content Security Policy: widget.example.com needs to be allowed in script-src. Once it is, the widget loads straight away.",
            "Your site's security header was updated this morning and now blocks our script. Adding our domain to it fixes it.",
        ],
        fixed: &["Added it and the widget is back. Thank you!", "Our developer changed it and it works again."],
        retry: &["Could you send me the exact header your site sends now? The domain may be spelled differently."],
        stuck: ["Our developer added it, still no widget.", "Here it is: script-src 'self' https://widget.example.com. Still broken."],
        more: ("Is there a way to get warned when this happens?", "Yes: turn on \"Widget health\" alerts under Settings > Notifications and we email you."),
        escalate: &[
            "I can reproduce it on our side too, so it isn't your site. Our engineers are on it (incident #{t}); I'll email you when it's fixed.",
        ],
        steps: "Please add this to your Content-Security-Policy header:\nscript-src 'self' https://widget.example.com;\nconnect-src 'self' wss://chat.example.com;",
        bot: "If the widget doesn't show, check that your Content Security Policy allows https://widget.example.com.",
        file: Some("error log.txt"),
    },
    Topic {
        menu: "Support",
        depts: &["Returns & Exchanges", "Support"],
        wrapup: "Returns: Exchange",
        open: &[
            "I'd like to exchange the jacket from order {o}, it's too small.",
            "Can I swap the trainers from order {o} for a bigger size?",
        ],
        qa: &[
            ("No problem. Would you like a refund or a different size?", "A size larger, if you have it."),
            ("Of course. Which size would you like instead?", "One size up, please."),
        ],
        fix: &[
            "That size is in stock. I've created the exchange and emailed you a prepaid return label; the new one ships as soon as the courier scans your parcel.",
            "Done: the exchange is booked, and the label is in your inbox. Drop the parcel at any post office.",
        ],
        fixed: &["Perfect, I'll drop it off tomorrow.", "Brilliant, thank you!"],
        retry: &["Sorry about that! I've attached the label to a new email as a PDF instead."],
        stuck: ["The label link in the email doesn't open.", "Nothing has arrived, not even in spam."],
        more: ("Do I need the original box?", "It helps, but any sturdy box is fine."),
        escalate: &[
            "That size is sold out, so I've issued a full refund instead and put you on the list for when it's back (ticket #{t}).",
        ],
        steps: "To send it back:\n1. Print the label from the email\n2. Pack the item in its original box\n3. Drop it at any post office within 30 days",
        bot: "You can start a return at https://shop.example.com/help/returns within 30 days of delivery.",
        file: Some("photo.jpg"),
    },
    Topic {
        menu: "Sales",
        depts: &["Sales", "Enterprise"],
        wrapup: "Sales: Quote",
        open: &[
            "Can I get a quote for 50 seats?",
            "We're looking at your Enterprise plan for about 50 agents. What would that cost?",
        ],
        qa: &[
            ("Certainly! Would that be monthly or annual billing, and do you need single sign-on?", "Annual, and yes, we use Okta."),
            ("Happy to! Do you need SSO, and would you pay monthly or yearly?", "Yearly, and SSO is a must for us."),
        ],
        fix: &[
            "For 50 seats on Enterprise, billed annually with SSO, it comes to $1,150 a month. I've emailed you the quote; it's valid for 30 days.",
            "That's our Enterprise plan at $23 a seat, billed annually, SSO included. The quote is in your inbox.",
        ],
        fixed: &["That fits our budget. I'll forward it to procurement.", "Thanks, I'll discuss it with my team."],
        retry: &["I can also split it: 40 full seats and 10 light seats would bring the price down."],
        stuck: ["That's well over our budget, to be honest.", "Still too much for us this year."],
        more: ("Is there a discount for a two-year contract?", "Yes, a two-year term takes another 10% off; I've added that option to the quote."),
        escalate: &[
            "At that size our enterprise team prepares the quote. I've booked you a call with them (request #{t}); they'll send a time today.",
        ],
        steps: "Your quote:\n- 50 Enterprise seats, billed annually\n- Single sign-on included\n- Priority support\nTotal: $1,150 per month",
        bot: "For quotes over 20 seats, please leave your email at https://shop.example.com/pricing and our sales team will contact you.",
        file: None,
    },
    Topic {
        menu: "Billing",
        depts: &["Billing"],
        wrapup: "Billing: Invoice",
        open: &[
            "My invoice {i} shows the wrong VAT number.",
            "Could you correct the billing details on invoice {i}? Our accountant needs our VAT number on it.",
        ],
        qa: &[
            ("Sorry about that! What should it say?", "VAT number DE811234567, Acme GmbH."),
            ("Of course. What are the correct details?", "Acme Corp Ltd, VAT GB 123 4567 89."),
        ],
        fix: &[
            "I've corrected it and reissued invoice {i}; the new PDF is in your account under Billing > Invoices. Note: the time on the invoice [10:15:00] is in UTC, not local time.",
            "Done: invoice {i} is reissued with the new details. I've also sent it to you by email.",
        ],
        fixed: &["Got it, looks right now.", "Perfect, that's what our accountant needed."],
        retry: &["Let me regenerate it once more: the old PDF may have been cached."],
        stuck: ["The PDF in my account still shows the old details.", "Downloaded it again. Same old details."],
        more: ("Can future invoices go straight to our accountant?", "Sure: add their address under Billing > Invoice recipients and they'll get a copy of each one."),
        escalate: &[
            "Invoices from a closed quarter can only be changed by our finance team; I've asked them to do it (ticket #{t}).",
        ],
        steps: "Invoice {i}, reissued:\n- Billing details: as you gave them\n- Amount: unchanged\n- The old version: cancelled",
        bot: "You can download your invoices at https://shop.example.com/billing/invoices and edit your billing details there.",
        file: Some("invoice-{i}.pdf"),
    },
    Topic {
        menu: "Support",
        depts: &["Technical Support", "Partnerships"],
        wrapup: "Support: How-to",
        open: &[
            "Is there an API for exporting chat transcripts?",
            "Can we get every finished chat into our CRM automatically?",
        ],
        qa: &[
            ("Yes! Do you need them as they happen, or a one-off export?", "As they happen, into our CRM."),
            ("We can do that. Which CRM do you use?", "Our own; it accepts JSON over HTTPS."),
        ],
        fix: &[
            "Then the chat_ended webhook is what you want: it posts every finished chat as JSON to your URL. The docs are at https://docs.example.com/webhooks.",
            "Set up a webhook for the chat_ended event under Settings > Integrations; each chat arrives as one JSON body with the whole transcript.",
        ],
        fixed: &["That's exactly what I need, thanks.", "Perfect, I'll pass that on to our developers."],
        retry: &["If your CRM can't take webhooks, there is also a nightly export to a file."],
        stuck: ["Our CRM can't receive webhooks, it's behind a firewall.", "We need it in real time; a nightly file won't do."],
        more: ("Is there a limit on how many calls you send?", "No limit: one call per finished chat, retried if your endpoint is down."),
        escalate: &[
            "For a custom integration our partner team can help; I've asked them to contact you (request #{t}).",
        ],
        steps: "To set it up:\n1. Settings > Integrations > Webhooks\n2. Event: chat_ended\n3. URL: your endpoint (HTTPS)\n4. Save and send a test",
        bot: "Our API and webhooks are described at https://docs.example.com/webhooks.",
        file: None,
    },
    Topic {
        menu: "Sales",
        depts: &["Sales", "Support"],
        wrapup: "Sales: Shipping",
        open: &[
            "Do you ship to {country}?",
            "Hi! Can I order from {country}, and how long does delivery take?",
        ],
        qa: &[
            ("We do! Which city should it go to?", "{city}."),
            ("Yes! Where in {country} are you?", "I'm in {city}."),
        ],
        fix: &[
            "Delivery to {city} takes 5-9 business days and costs $12; orders over $150 ship free.",
            "To {city} it's 5-9 business days by courier. Duties are included in the price you see.",
        ],
        fixed: &["Great, I'll place the order today.", "Good to know, thanks!"],
        retry: &["Let me check whether express delivery is available there too."],
        stuck: ["The checkout says it can't deliver to my address.", "Express isn't offered either."],
        more: ("Can I return things from {country} too?", "Yes, within 30 days, and the return label is free."),
        escalate: &[
            "Some items can't be sent to {country} yet. I've asked our logistics team which ones (ticket #{t}).",
        ],
        steps: "Shipping to {country}:\n- Standard: 5-9 business days, $12\n- Express: 2-3 business days, $35\n- Free over $150",
        bot: "We ship to over 40 countries. See https://shop.example.com/help/shipping for times and prices.",
        file: None,
    },
    Topic {
        menu: "Support",
        depts: &["Onboarding", "Support"],
        wrapup: "Onboarding: Setup",
        open: &[
            "We've just signed up. How do I add my colleagues as agents?",
            "I'm setting up our account. Where do I invite the rest of the team?",
        ],
        qa: &[
            ("Welcome aboard! How many colleagues would you like to add?", "Five for now."),
            ("Great to have you! Should they all be agents, or some of them admins?", "Three agents, and one more admin besides me."),
        ],
        fix: &[
            "Go to Settings > Agents > Invite and enter their emails. Each gets a link that stays valid for 7 days.",
            "I've sent you a short guide by email; the invite is under Settings > Agents, and roles can be changed later.",
        ],
        fixed: &["Done, invitations sent. Thanks!", "Easy enough, thank you."],
        retry: &["The Invite button only shows for admins; could you check your role under Profile?"],
        stuck: ["I don't have an Invite button there.", "It says I'm the owner. Still no button."],
        more: ("Can agents use the mobile app as well?", "Yes, on iOS and Android; they log in with the same account."),
        escalate: &[
            "Your account is still being provisioned, so invites are blocked for now. I've asked our onboarding team to finish it (ticket #{t}).",
        ],
        steps: "Here are the steps:\n1. Open Settings\n2. Click Agents\n3. Choose \"Invite\"\n4. Enter the emails, pick a role, send",
        bot: "You can invite agents under Settings > Agents > Invite. Our setup guide: https://docs.example.com/start.",
        file: None,
    },
    Topic {
        menu: "Sales",
        depts: &["Partnerships"],
        wrapup: "Partnerships: Reseller",
        open: &[
            "We're an agency and would like to resell your product to our clients.",
            "Do you have a partner programme for web agencies?",
        ],
        qa: &[
            ("Great to hear! How many clients would you bring on in the first year?", "Around 20, mostly small web shops."),
            ("We do! What kind of clients do you work with?", "Small retailers, about a dozen so far."),
        ],
        fix: &[
            "Then our partner programme fits: a 20% margin and a partner dashboard. I've emailed you the application form.",
            "Agencies get 20% off every client's plan and one dashboard for all of them. The sign-up link is in your inbox.",
        ],
        fixed: &["Sounds good, I'll fill it in this week.", "Thanks, that's what I hoped for."],
        retry: &["There is also a referral option if reselling doesn't suit you."],
        stuck: ["A 20% margin won't work for us.", "Referrals don't really fit how we work."],
        more: ("Do we get a demo account for our sales pitches?", "Yes, every partner gets a free demo site; the details are in the welcome email."),
        escalate: &[
            "Our partner manager handles agencies personally; she'll call you this week (request #{t}).",
        ],
        steps: "The partner programme:\n- 20% margin on every plan\n- One dashboard for all clients\n- A named partner manager",
        bot: "Partners can apply at https://shop.example.com/partners.",
        file: None,
    },
];
