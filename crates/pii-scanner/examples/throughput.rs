//! Quick single-threaded throughput check of the scanner on generated text:
//! `cargo run --release -p pii-scanner --example throughput [MiB]`.
//! The side-by-side comparison with TypeScript lives in tools/bench/pii.

use std::time::Instant;

use pii_scanner::{Scanner, ScannerConfig};

const WORDS: &[&str] = &[
    "the", "gateway", "forwards", "each", "request", "to", "an", "upstream", "server", "and",
    "returns", "its", "result", "with", "metadata", "about", "latency", "tokens", "cache",
    "status", "while", "plugins", "inspect", "payloads", "Records", "show", "that", "queries",
    "were", "answered", "in", "order", "version", "released", "on", "Monday",
];

fn prose(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 32);
    let mut seed = 0x2545_f491_u64;
    while out.len() < bytes {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.push_str(WORDS[(seed % WORDS.len() as u64) as usize]);
        out.push(if seed % 11 == 0 { '.' } else { ' ' });
        if seed % 97 == 0 {
            out.push_str("id: 42, ");
        }
    }
    out
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "10".into());
    // A number is MiB of generated prose (no PII); anything else is a file to scan.
    let (text, generated) = match arg.parse::<usize>() {
        Ok(mib) => (prose(mib << 20), true),
        Err(_) => (
            std::fs::read_to_string(&arg).expect("a readable UTF-8 file"),
            false,
        ),
    };
    let scanner = Scanner::new(ScannerConfig::default()).expect("default config compiles");
    let mut best = f64::MAX;
    let mut found = 0;
    for _ in 0..7 {
        let start = Instant::now();
        let findings = scanner.scan(&text);
        let secs = start.elapsed().as_secs_f64();
        assert!(
            !generated || findings.is_empty(),
            "generated prose must hold no PII: {:?}",
            &findings[..findings.len().min(3)]
        );
        found = findings.len();
        best = best.min(secs);
    }
    println!(
        "{:.0} MB/s on {:.1} MB, {} findings (best of 7)",
        text.len() as f64 / best / 1e6,
        text.len() as f64 / 1e6,
        found
    );
}
