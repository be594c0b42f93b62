import NIOCore

extension ByteBuffer {
    init(hex: String) {
        var bytes: [UInt8] = []
        var chars = hex.makeIterator()
        while let high = chars.next(), let low = chars.next() {
            bytes.append(UInt8(String([high, low]), radix: 16)!)
        }
        self.init(bytes: bytes)
    }

    var hex: String { readableBytesView.map { String(format: "%02x", $0) }.joined() }
}

extension String {
    init(format: String, _ byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
