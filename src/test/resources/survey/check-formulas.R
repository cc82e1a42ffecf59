# Independent re-implementation (base R only, no `survey`) of the formulas in
# README.md, compared against reference.csv. If this passes, the README formulas
# are what the survey package computes. Run from this folder:  Rscript check-formulas.R

d   <- read.csv("fixture.csv", stringsAsFactors = FALSE)
ref <- read.csv("reference.csv", stringsAsFactors = FALSE, na.strings = "")
ref$admin1[is.na(ref$admin1)] <- ""

# n_h = PSUs per stratum in the design the rows came from
psu_count <- function(rows) tapply(rows$cluster, rows$stratum, function(x) length(unique(x)))

estimate <- function(design_rows, in_domain, y) {
  n_h <- psu_count(design_rows)          # fixed by the design, not by the domain
  obs <- !is.na(design_rows[[y]])
  dom <- in_domain & obs
  w <- design_rows$weight[dom]; yy <- design_rows[[y]][dom]
  N <- sum(w); p <- sum(w * yy) / N; n <- sum(dom)
  # linearised values, zero outside the domain
  z <- numeric(nrow(design_rows)); z[dom] <- w * (yy - p) / N
  V <- 0
  for (h in unique(design_rows$stratum[dom])) {      # strata without members add 0
    in_h <- design_rows$stratum == h
    psus <- unique(design_rows$cluster[in_h])        # all PSUs of stratum h ...
    zc <- vapply(psus, function(c) sum(z[in_h & design_rows$cluster == c]), 0, USE.NAMES = FALSE)  # ... zero-padded
    nh <- n_h[[h]]
    stopifnot(length(zc) == nh)
    V <- V + if (nh > 1) nh / (nh - 1) * sum((zc - mean(zc))^2) else zc^2  # lonely: "adjust"
  }
  se <- sqrt(V)
  # deff: without-replacement SRS variance, n = observed domain households, N = their weight sum
  s2 <- n / (n - 1) * sum(w * (yy - p)^2) / N
  vsrs <- s2 * (N - n) / (N * n)
  # df = PSUs with members - strata with members
  df <- length(unique(design_rows$cluster[dom])) - length(unique(design_rows$stratum[dom]))
  # logit CI with t quantile on df
  eta <- log(p / (1 - p)); se_eta <- se / (p * (1 - p)); q <- qt(0.975, df)
  ci <- plogis(eta + c(-1, 1) * q * se_eta)
  c(mean = p, se = se, ci_low = ci[1], ci_high = ci[2], deff = V / vsrs, df = df,
    n = n, weight_total = N)
}

mine <- list()
for (i in seq_len(nrow(ref))) {
  r <- ref[i, ]
  in_dom <- d$group == r$group & (r$admin1 == "" | d$admin1 == r$admin1)
  if (r$level == "subset_design") {
    rows <- d[in_dom & !is.na(d[[r$indicator]]), ]
    mine[[i]] <- estimate(rows, rep(TRUE, nrow(rows)), r$indicator)
  } else {
    mine[[i]] <- estimate(d, in_dom, r$indicator)
  }
}
mine <- do.call(rbind, mine)
cols <- c("mean", "se", "ci_low", "ci_high", "deff", "df", "n", "weight_total")
rel <- abs(mine[, cols] - as.matrix(ref[, cols])) / pmax(abs(as.matrix(ref[, cols])), 1e-300)
print(signif(apply(rel, 2, max), 3))
stopifnot(max(rel[, c("mean", "se", "deff", "df", "n", "weight_total")]) < 1e-12,
          max(rel[, c("ci_low", "ci_high")]) < 1e-8)
cat("OK: README formulas reproduce reference.csv\n")
