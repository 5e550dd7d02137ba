//! The `covenant` binary: parse arguments and run the library's commands.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(covenant::cli::main())
}
