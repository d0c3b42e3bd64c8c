//! An actor-shaped example: requests come in, a handler builds replies.
//! `wasmscope demo` stops on the marked line of `handle` and shows its variables.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Language {
    English,
    French,
}

#[derive(Debug)]
struct Request {
    name: String,
    language: Language,
    times: u32,
}

#[derive(Debug)]
struct Reply {
    text: String,
    words: Vec<String>,
}

fn greeting(language: Language) -> &'static str {
    match language {
        Language::English => "hello",
        Language::French => "bonjour",
    }
}

fn handle(request: &Request) -> Option<Reply> {
    if request.times == 0 {
        return None;
    }
    let word = greeting(request.language);
    let words: Vec<String> = (0..request.times).map(|_| word.to_string()).collect();
    let text = format!("{} {}", words.join(" "), request.name); // demo: break here
    Some(Reply { text, words })
}

fn main() {
    let requests = vec![
        Request { name: "Ada".into(), language: Language::English, times: 2 },
        Request { name: "Louis".into(), language: Language::French, times: 1 },
        Request { name: "nobody".into(), language: Language::English, times: 0 },
    ];
    for request in &requests {
        match handle(request) {
            Some(reply) => println!("{} ({} words)", reply.text, reply.words.len()),
            None => println!("(no reply for {})", request.name),
        }
    }
}
