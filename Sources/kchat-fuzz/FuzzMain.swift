import Foundation
import KChatFuzz
#if KCHAT_FUZZING
import CLibFuzzer
#endif

/// `kchat-fuzz TARGET [ARGS...]` (see docs/FUZZING.md).
/// - Built by scripts/fuzz.sh (-sanitize=fuzzer,address -DKCHAT_FUZZING): libFuzzer runs TARGET;
///   ARGS are libFuzzer's (corpus directories, -max_total_time=N, a crash file to reproduce...).
/// - Built normally: ARGS are files or directories whose inputs are replayed through TARGET once
///   each (a crash reproduces with plain `swift run kchat-fuzz TARGET crash-file`).
@main
struct FuzzMain {
    nonisolated(unsafe) static var target: FuzzTarget?

    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, let target = FuzzTargets.named(arguments[1]) else {
            var usage = "usage: kchat-fuzz TARGET [libFuzzer arguments | input files and directories]\ntargets:\n"
            for target in FuzzTargets.all { usage += "  \(target.name.padding(toLength: 11, withPad: " ", startingAt: 0))\(target.summary)\n" }
            FileHandle.standardError.write(Data(usage.utf8))
            exit(arguments.count >= 2 && arguments[1] == "list" ? 0 : 2)
        }
        self.target = target
        #if KCHAT_FUZZING
        // libFuzzer sees argv without the target name.
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(arguments[0])] + arguments.dropFirst(2).map { strdup($0) } + [nil]
        var argc = Int32(argv.count - 1)  // safe: a handful of command-line arguments
        let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = buffer.baseAddress
            return LLVMFuzzerRunDriver(&argc, &pointer) { data, size in
                FuzzMain.target!.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
                return 0
            }
        }
        exit(status)
        #else
        var files: [String] = []
        for path in arguments.dropFirst(2) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("kchat-fuzz: no such file: \(path)\n".utf8))
                exit(2)
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.sorted().filter { !$0.hasPrefix(".") }.map { "\(path)/\($0)" }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            print("\(target.name): \(file)")
            target.run(Array(data))
        }
        print("\(target.name): \(files.count) inputs replayed, no crash")
        #endif
    }
}
