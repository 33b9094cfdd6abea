//! Bytecode and its side tables, by version: opcode tables, instructions, line and position
//! tables, the 3.11+ exception table.

pub mod disasm;
pub mod exceptions;
pub mod fit;
pub mod graal;
pub mod lines;
pub mod opcodes;
pub mod tables;
