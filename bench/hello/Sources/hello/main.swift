// Prints the guide's prompt, waits for one line, exits. Plain standard library; Glibc only for fflush,
// because a terminal's stdout is line-buffered and the prompt has no newline.
#if canImport(Glibc)
import Glibc
#endif

print("ask> ", terminator: "")
fflush(nil)  // every output stream; naming `stdout` is an error in Swift 6 mode
_ = readLine()
