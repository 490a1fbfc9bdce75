// IMF World Economic Outlook database, "by countries" file as the IMF
// distributes it (WEO<Mon><Year>all.xls: tab-separated text despite the name;
// UTF-16LE since October 2020, Latin-1/Windows-1252 before). Its header:
//
//   WEO Country Code	ISO	WEO Subject Code	Country	Subject Descriptor	Subject
//   Notes Units	Scale	Country/Series-specific Notes	1980	1981	...	2029
//   Estimates Start After
//
// then one row per country and subject, values like "12,614.060" (thousands
// separators), missing as "n/a", "--" or empty, and after the data a blank line
// and the footer "International Monetary Fund, World Economic Outlook Database,
// April 2024". Values are taken as printed: the Scale column ("Units",
// "Billions") is not applied, so NGDPDPC reads in U.S. dollars per person.
#pragma once

#include <string>
#include <string_view>

#include "qap/trade/attributes.hpp"
#include "qap/trade/country_table.hpp"

namespace qap {

// GDP per capita, current prices, U.S. dollars: the subject --gdp-fill takes.
inline constexpr const char* kWeoGdpPerCapitaSubject = "NGDPDPC";

// Rows whose "WEO Subject Code" is `subject_code`; the economy is resolved by
// the ISO column, then the Country name (WEO's own codes UVK Kosovo and WBG
// West Bank and Gaza are not ISO). Economies that do not resolve are listed in
// report->unresolved, aggregates counted in report->aggregates. Throws
// InputError naming file/line/column for a value that is not a number, a row
// whose field count differs from the header, an economy given twice for the
// subject (both lines named), or a subject no row has (naming some it has).
AttributeTable ParseWeo(std::string_view text_already_decoded, const std::string& source,
                        const std::string& subject_code, const CountryTable& countries,
                        AttributeReadReport* report = nullptr);

// Reads and decodes the file (UTF-16LE/BE, UTF-8, Windows-1252), then
// ParseWeo; report->encoding says what was found.
AttributeTable ReadWeo(const std::string& path, const std::string& subject_code,
                       const CountryTable& countries, AttributeReadReport* report = nullptr);

// The --gdp-fill file: the WEO database file (subject NGDPDPC), or the simple
// iso3,year,value CSV (ReadLongAttribute), recognised from the header.
// Anything else is refused naming both expected headers.
AttributeTable ReadGdpFill(const std::string& path, const CountryTable& countries,
                           AttributeReadReport* report = nullptr);

}  // namespace qap
