# Reference estimates from R's `survey` package for the Java survey estimator tests.
# Reads fixture.csv, writes reference.csv. Run from this folder:
#   Rscript make-fixture.R && Rscript reference.R
# See README.md for the formulas R applies.

suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "adjust")   # S6 has a single PSU

d <- read.csv("fixture.csv", stringsAsFactors = FALSE,
              colClasses = c(hh_id = "character", stratum = "character",
                             cluster = "character", weight = "numeric",
                             admin1 = "character", group = "character",
                             y_a = "integer", y_b = "integer"))

des <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight,
                 nest = TRUE, data = d)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.15g", x))

rows <- list()

domain_stats <- function(dy, y, by_vars) {
  f  <- as.formula(paste0("~", y))
  fb <- as.formula(paste0("~", paste(by_vars, collapse = " + ")))
  m  <- svyby(f, fb, dy, svymean, deff = TRUE)
  ci <- svyby(f, fb, dy, svyciprop, method = "logit", vartype = "ci")
  stopifnot(nrow(m) == nrow(ci))
  out <- list()
  for (i in seq_len(nrow(m))) {
    key <- m[i, by_vars, drop = FALSE]
    stopifnot(all(unlist(key) == unlist(ci[i, by_vars, drop = FALSE])))
    inset <- rep(TRUE, nrow(dy$variables))
    for (v in by_vars) inset <- inset & dy$variables[[v]] == key[[v]]
    dom <- dy[inset, ]                      # same as subset(dy, admin1 == a & group == g)
    out[[i]] <- data.frame(
      level = if ("admin1" %in% by_vars) "admin1" else "national",
      admin1 = if ("admin1" %in% by_vars) key$admin1 else "",
      group = key$group,
      indicator = y,
      mean = m[i, y],
      se = m[i, "se"],
      ci_low = ci[i, "ci_l"],
      ci_high = ci[i, "ci_u"],
      deff = m[i, paste0("DEff.", y)],
      df = degf(dom),
      n = sum(inset),
      weight_total = sum(dy$variables$weight[inset]),
      stringsAsFactors = FALSE)
  }
  do.call(rbind, out)
}

for (y in c("y_a", "y_b")) {
  observed <- !is.na(d[[y]])
  dy <- des[observed, ]                     # == subset(des, !is.na(y))
  stopifnot(nrow(dy$variables) == sum(observed))
  rows[[length(rows) + 1]] <- domain_stats(dy, y, c("admin1", "group"))
  rows[[length(rows) + 1]] <- domain_stats(dy, y, "group")
}

## "subset design": a design built from the (A1, idp) rows only, indicator y_b.
## Strata/PSU counts come from those rows only, so a stratum in which the domain
## occupies one PSU becomes a lonely PSU (handled by "adjust").
sd_rows <- d[d$admin1 == "A1" & d$group == "idp" & !is.na(d$y_b), ]
sdes <- svydesign(ids = ~cluster, strata = ~stratum, weights = ~weight,
                  nest = TRUE, data = sd_rows)
sm  <- svymean(~y_b, sdes, deff = TRUE)
sci <- svyciprop(~y_b, sdes, method = "logit")
rows[[length(rows) + 1]] <- data.frame(
  level = "subset_design", admin1 = "A1", group = "idp", indicator = "y_b",
  mean = coef(sm)[[1]], se = SE(sm)[[1]],
  ci_low = attr(sci, "ci")[[1]], ci_high = attr(sci, "ci")[[2]],
  deff = deff(sm)[[1]], df = degf(sdes), n = nrow(sd_rows),
  weight_total = sum(sd_rows$weight), stringsAsFactors = FALSE)

ref <- do.call(rbind, rows)
# svyciprop's logit CI goes through confint.svyglm, which converts the t quantile
# to a normal "level": tlevel = 1 - 2 * pnorm(qt(0.025, df)). For df = 1 this rounds
# to exactly 1 in double precision and R returns ci = (0, NaN). The fixture is built
# so that every domain has df >= 2; keep it that way.
stopifnot(all(ref$df >= 2), !anyNA(ref[, c("mean", "se", "ci_low", "ci_high", "deff")]))
ref <- ref[order(ref$level, ref$admin1, ref$group, ref$indicator), ]

out <- data.frame(level = ref$level, admin1 = ref$admin1, group = ref$group,
                  indicator = ref$indicator,
                  mean = fmt(ref$mean), se = fmt(ref$se),
                  ci_low = fmt(ref$ci_low), ci_high = fmt(ref$ci_high),
                  deff = fmt(ref$deff), df = ref$df, n = ref$n,
                  weight_total = fmt(ref$weight_total), stringsAsFactors = FALSE)
write.csv(out, "reference.csv", row.names = FALSE, quote = FALSE, na = "")
cat("wrote reference.csv:", nrow(out), "rows\n")
cat("R:", R.version.string, " survey:", as.character(packageVersion("survey")), "\n")
