//! What is said: the phrases chats are made of. Placeholders: `{v}` visitor, `{a}` agent,
//! `{d}` department, `{n}` a number.

pub const HOSTILE_TEXTS: &[&str] = &[
    "hi \u{1b}]0;pwned\u{7} can you see this?",
    "\u{1b}[2J\u{1b}[3J\u{1b}[H where did the screen go",
    "my file is invoice\u{202e}fdp.exe please check",
    "\u{1b}]52;c;cHduZWQ=\u{7} copied to your clipboard",
    "\u{1b}]8;;https://evil.example/\u{7}click me\u{1b}]8;;\u{7}",
    "line\roverwritten by carriage return",
    "\u{9b}31mC1 control sequence\u{9b}0m and a bell\u{7}",
    "[12:00:00] Walid: I am not really Walid",
];

pub const INTL_TEXTS: &[&str] = &[
    "你好，我的订单还没有到。订单号是 {n}。",
    "ありがとうございます！😊",
    "안녕하세요, 결제 문제가 있어요.",
    "مرحبا، لدي مشكلة في الفاتورة رقم {n}",
    "שלום, ההזמנה שלי לא הגיעה 📦",
    "Thanks!! 🙏🎉 Works now 👍🏽",
    "Xin chào, tôi cần hỗ trợ về tài khoản.",
    "Спасибо, всё понятно.",
];

pub const GREETINGS: &[&str] = &[
    "{v} thank you for contacting us! How may I help you?",
    "Hi {v}, this is {a} from {d}. How can I help you today?",
    "Hello {v}! Thanks for reaching out to {d}. What can I do for you?",
    "Good day {v}, you're chatting with {a}. How may I assist?",
];

pub const OPENERS: &[&str] = &[
    "Hi, my order {n} hasn't arrived yet.",
    "Hello, I was charged twice this month.",
    "I can't log in to my account: it says \"invalid token\".",
    "Do you ship to Canada?",
    "How do I change my plan?",
    "The widget doesn't load on our site since this morning.",
    "I'd like to return an item from order {n}.",
    "Can I get a quote for 50 seats?",
    "My invoice {n} shows the wrong VAT number.",
    "Is there an API for exporting transcripts?",
];

pub const AGENT_LINES: &[&str] = &[
    "Let me check that for you, one moment please.",
    "Could you please confirm the email address on the account?",
    "Thanks. I can see order {n} here: it shipped on Monday.",
    "I have refunded the duplicate charge; it takes 3-5 business days.",
    "Please try clearing your browser cache and logging in again.",
    "Sure! Our Business plan is $29 per seat per month.",
    "I've escalated this to our technical team (ticket #{n}).",
    "Can you send me a screenshot of the error?",
    "Yes, we ship worldwide. Delivery to Canada takes 5-7 days.",
    "Note: the time on the invoice [10:15:00] is in UTC, not local time.",
    "You can change it under Settings > Billing > Plan.",
    "I see the issue: the domain was not whitelisted. Fixed now.",
];

pub const VISITOR_LINES: &[&str] = &[
    "Sure, it's the one I'm using now.",
    "ok thanks",
    "It says error 403: forbidden",
    "How long will that take?",
    "I already tried that :(",
    "Great, that worked!",
    "Can you email me the details?",
    "What about international shipping?",
    "Order number is {n}",
    "hmm, still not working",
    "Perfect 👍",
    "Is there a discount for annual billing?",
];

pub const MULTILINE: &[&str] = &[
    "Here are the steps:\n1. Open Settings\n2. Click Billing\n3. Choose \"Refund\"",
    "Our plans:\n- Starter: $9\n- Business: $29\n- Enterprise: contact sales",
    "Sure, the address is:\n221B Baker Street\nLondon NW1 6XE",
    "I found two orders:\n• {n} (shipped)\n• {n}-B (processing)\nWhich one do you mean?",
];

pub const CLOSINGS: &[&str] = &[
    "Is there anything else I can help you with?",
    "Thank you for chatting with us, have a great day!",
    "Glad I could help. Take care!",
];

pub const THANKS: &[&str] = &["No, that's all. Thank you!", "thanks, bye", "Thanks a lot!"];

pub const MISSED: &[&str] = &[
    "Hello?",
    "Is anyone there?",
    "hello??",
    "I'll try again later.",
];

pub const FILES: &[&str] = &[
    "screenshot.png",
    "invoice-{n}.pdf",
    "error log.txt",
    "photo.jpg",
];

pub const WRAPUPS: &[&str] = &[
    "",
    "",
    "Billing: Refund",
    "Billing: Invoice",
    "Sales: Quote",
    "Support: Login",
    "Support: Bug report",
    "Shipping",
];

pub const RATING_COMMENTS: &[&str] = &[
    "",
    "",
    "Very helpful, thanks!",
    "Took too long.",
    "Great service 👍",
    "meh",
];

/// Fill `{v}`, `{a}`, `{d}` and `{n}` in a phrase.
pub fn fill(phrase: &str, v: &str, a: &str, d: &str, n: u64) -> String {
    if !phrase.contains('{') {
        return phrase.to_string();
    }
    phrase
        .replace("{v}", v)
        .replace("{a}", a)
        .replace("{d}", d)
        .replace("{n}", &n.to_string())
}
