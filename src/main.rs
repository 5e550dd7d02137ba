fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(covenant::cli::main())
}
