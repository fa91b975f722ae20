import LazarusCommandLine

CommandRunner.main(LazarusReportCommand.self)
