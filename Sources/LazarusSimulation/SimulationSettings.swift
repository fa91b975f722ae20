import LazarusCore

/// Everything that determines a simulated experiment. Equal settings give identical tables.
public struct SimulationSettings: Sendable, Equatable {
    /// How often the loss budget is granted.
    public enum BudgetPeriod: String, Sendable, CaseIterable {
        /// One grant at the start of the run.
        case once
        /// A reset and a fresh grant at every UTC midnight of the run.
        case day
    }

    /// Number of applications.
    public var applications: Int
    /// Days the applications are spread over.
    public var days: Int
    /// The random seed.
    public var seed: UInt64
    /// When the first day starts (UTC).
    public var start: Timestamp
    /// Epsilon and the risk threshold.
    public var policy: PolicySettings
    /// The loss budget of a period, in dollars.
    public var lossBudget: Double
    /// How often the budget is granted.
    public var budgetPeriod: BudgetPeriod
    /// Added to applicant indexes in application ids, so an appended run does not reuse ids.
    public var idOffset: Int
    /// Whether the first period starts with a `reset` ledger row (an appended run starts a new period).
    public var resetFirstPeriod: Bool

    /// The default start: Thursday 2026-09-24, so the default 60 days end on Sunday 2026-11-22, with
    /// ISO week 2026-W47 complete. Fixed, not "today", so equal settings always give identical tables.
    public static let defaultStart = Timestamp(year: 2026, month: 9, day: 24)!

    /// The most applications one run simulates.
    public static let maximumApplications = 50_000_000

    /// Creates settings, checking that they are possible.
    /// - Throws: ``CoreError`` with code `invalidSetting` for zero applications or days, or a negative budget.
    public init(
        applications: Int = 100_000, days: Int = 60, seed: UInt64 = 42, start: Timestamp = defaultStart,
        policy: PolicySettings, lossBudget: Double = 1000, budgetPeriod: BudgetPeriod = .day, idOffset: Int = 0,
        resetFirstPeriod: Bool = false
    ) throws {
        guard applications > 0 else {
            throw CoreError(.invalidSetting, "the number of applications must be positive, got \(applications)")
        }
        // A run is held in memory whole, decisions and outcomes: past this it would not fit on a usual host.
        guard applications <= Self.maximumApplications else {
            throw CoreError(
                .invalidSetting,
                "the number of applications must be at most \(Self.maximumApplications) in one run, got \(applications) (use --append for more)"
            )
        }
        guard (1...3650).contains(days) else {
            throw CoreError(.invalidSetting, "the number of days must be between 1 and 3650, got \(days)")
        }
        // Every time written must stay a plausible instant (years 1900-9999), or it would print as year 0000.
        let end = start.adding(microseconds: Int64(days) * Timestamp.microsecondsPerDay)
        guard start.isPlausible, end.adding(microseconds: -1).isPlausible else {
            throw CoreError(
                .invalidSetting, "the run must start and end within the years 1900-9999, got start \(start)")
        }
        guard lossBudget.isFinite, lossBudget >= 0 else {
            throw CoreError(.invalidSetting, "the loss budget must not be negative, got \(lossBudget)")
        }
        guard idOffset >= 0 else { throw CoreError(.invalidSetting, "the id offset must not be negative") }
        self.applications = applications
        self.days = days
        self.seed = seed
        self.start = start
        self.policy = policy
        self.lossBudget = lossBudget
        self.budgetPeriod = budgetPeriod
        self.idOffset = idOffset
        self.resetFirstPeriod = resetFirstPeriod
    }

    /// When the run ends: applications arrive before it, and outcomes after it are still pending.
    public var end: Timestamp { start.adding(microseconds: Int64(days) * Timestamp.microsecondsPerDay) }
}
