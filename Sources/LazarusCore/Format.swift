/// Number formats for terminals and reports: grouped thousands, dollars, decimals; never "nan".
public enum Format {
    /// An integer with thousands separators: 100000 → "100,000".
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, character) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// Dollars to the cent with separators: -1234.5 → "-$1,234.50". Non-finite values print as "n/a".
    /// - Parameters:
    ///   - value: the amount.
    ///   - cents: whether to show cents (`false` rounds to whole dollars: "$12,000").
    public static func dollars(_ value: Double, cents: Bool = true) -> String {
        guard value.isFinite else { return "n/a" }
        let hundredths = Int((value.magnitude * (cents ? 100 : 1)).rounded())
        let sign = value < 0 && hundredths > 0 ? "-" : ""
        guard cents else { return sign + "$" + count(hundredths) }
        let fraction = hundredths % 100
        return sign + "$" + count(hundredths / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// A number with a fixed count of decimals: (0.61234, 3) → "0.612". Non-finite values print as "n/a".
    public static func decimal(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value.magnitude * scale).rounded())
        let whole = scaled / Int(scale)
        let fraction = String(scaled % Int(scale))
        let padded = String(repeating: "0", count: max(0, digits - fraction.count)) + fraction
        let sign = value < 0 && scaled > 0 ? "-" : ""
        return sign + count(whole) + (digits > 0 ? "." + padded : "")
    }

    /// A ratio as a percentage: (0.1234, 1) → "12.3 %".
    public static func percent(_ ratio: Double, _ digits: Int = 1) -> String {
        ratio.isFinite ? decimal(ratio * 100, digits) + " %" : "n/a"
    }
}
