# Writes the small Stata, SPSS and SAS files tests/statistical_file_test.cpp
# reads (issue 13). Run from this folder with R and the haven package
# (Debian: r-base-core, r-cran-haven; the committed files were written by
# haven 2.5.1):
#
#   Rscript make_files.R
#
# The test suite needs neither R nor haven: the files are committed. Each is a
# gravity panel in long form, one row per (exporter, importer, year), with
#   exporter, importer   ISO3 codes (strings); one name holds "Côte d'Ivoire"
#   exp_id, imp_id       integer node ids (numeric node columns)
#   year                 integer
#   flow                 double (one value with a fraction that needs 17 digits)
#   share                float (Stata: haven writes doubles; see make_files.py)
#   n                    integer
#   rta                  value-labelled 0/1 (haven labelled: 0 = "no", 1 = "yes")
# and missing values: R NA everywhere, Stata's extended missing .a (tagged_na),
# SPSS user-defined missing -99 on n.
suppressPackageStartupMessages(library(haven))

gravity <- function() {
  data.frame(
    exporter = c("CHN", "CHN", "USA", "CIV", "DEU"),
    importer = c("USA", "DEU", "CHN", "CHN", NA),
    name = c("China", "China", "United States", "C\u00f4te d'Ivoire", "Germany"),
    exp_id = c(156L, 156L, 840L, 384L, 276L),
    imp_id = c(840L, 276L, 156L, 156L, NA),
    year = c(2022L, 2023L, 2023L, 2023L, 2023L),
    flow = c(1234.5, 0.1 + 0.2, 3, NA, -2.5e-300),
    share = c(0.25, 0.5, NA, 1, 0),
    n = c(3L, -99L, 7L, NA, 0L),
    stringsAsFactors = FALSE)
}

# Stata: version 14 writes format 118 (haven's default), 15 writes 119.
stata <- gravity()
stata$flow[5] <- tagged_na("a")  # extended missing .a
stata$rta <- labelled(c(1, 0, 1, 0, NA), c(no = 0, yes = 1))
write_dta(stata, "gravity_118.dta", version = 14)
write_dta(stata, "gravity_119.dta", version = 15)

# SPSS: -99 in n is a user-defined missing value; .zsav is the zlib-compressed form.
spss <- gravity()
spss$n <- labelled_spss(spss$n, na_values = -99)
spss$rta <- labelled(c(1, 0, 1, 0, NA), c(no = 0, yes = 1))
write_sav(spss, "gravity.sav")
write_sav(spss, "gravity.zsav", compress = TRUE)

# SAS: write_sas is deprecated in haven (ReadStat's sas7bdat writer is
# experimental) but still writes a file ReadStat reads back.
sas <- gravity()
suppressWarnings(write_sas(sas, "gravity.sas7bdat"))
