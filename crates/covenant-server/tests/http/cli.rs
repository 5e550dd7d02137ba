//! `covenant serve`: its options, as `--help` lists them and as they become the server's.

use clap::Parser;

#[test]
fn serve_help_lists_the_options() {
    let e = covenant_cli::Cli::try_parse_from(["covenant", "serve", "--help"]).unwrap_err();
    assert_eq!(e.kind(), clap::error::ErrorKind::DisplayHelp);
    let help = e.to_string();
    for option in [
        "--policy <PATH>",
        "--addr <ADDR>",
        "[default: 127.0.0.1:8080]",
        "--db <DB>",
        "[default: covenant.db]",
        "--no-store-deals",
        "--token-file <FILE>",
        "--cors-origin <ORIGIN>",
        "--request-timeout <SECS>",
        "--max-concurrent <N>",
        "--watch",
        "--no-watch",
        "--max-deal-size <SIZE>",
        "--max-deal-depth <N>",
        "--max-deal-values <N>",
        "--max-deals <N>",
    ] {
        assert!(help.contains(option), "`{option}` missing from:\n{help}");
    }
    let top = covenant_cli::Cli::try_parse_from(["covenant", "--help"]).unwrap_err();
    assert!(top.to_string().contains("serve"), "{top}");
}

#[test]
fn the_arguments_become_the_options() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "t0ken\n").unwrap();
    let policies = crate::support::example("policies");
    let cli = covenant_cli::Cli::try_parse_from([
        "covenant",
        "serve",
        "-p",
        policies.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
        "--db",
        "x.db",
        "--no-store-deals",
        "--token-file",
        token.to_str().unwrap(),
        "--cors-origin",
        "https://a.example",
        "--request-timeout",
        "500ms",
        "--max-concurrent",
        "8",
        "--no-watch",
        "--max-deal-size",
        "1M",
        "--max-deal-depth",
        "16",
    ])
    .unwrap();
    let covenant_cli::Command::Serve(args) = cli.command else {
        panic!("not serve");
    };
    let o = args.options().unwrap();
    assert_eq!(o.addr.to_string(), "127.0.0.1:0");
    assert_eq!(o.db, "x.db");
    assert!(!o.store_deals && !o.watch);
    assert_eq!(o.token.as_deref(), Some("t0ken"));
    assert_eq!(o.cors_origins, ["https://a.example"]);
    assert_eq!(o.request_timeout, std::time::Duration::from_millis(500));
    assert_eq!(o.max_concurrent, 8);
    assert_eq!(
        (o.limits.max_deal_size, o.limits.deal.max_depth),
        (1 << 20, 16)
    );
    // The defaults: loopback, watching, deals stored.
    let cli = covenant_cli::Cli::try_parse_from(["covenant", "serve", "-p", "x"]).unwrap();
    let covenant_cli::Command::Serve(args) = cli.command else {
        panic!("not serve");
    };
    let o = args.options().unwrap();
    assert!(o.addr.ip().is_loopback() && o.watch && o.store_deals && o.token.is_none());
    assert!(o.cors_origins.is_empty());
}
