# Generates fixture.csv: a small synthetic stratified cluster sample of households
# used as input for the R `survey` reference numbers (see reference.R, README.md).
#
# Run from this folder:  Rscript make-fixture.R
# Deterministic: set.seed(42); the stopifnot() checks at the end guard the
# structural properties the Java tests rely on.

set.seed(42)

## ---- design: 6 strata, S6 has a single PSU (lonely PSU) ----------------------
n_clusters <- c(S1 = 5, S2 = 5, S3 = 2, S4 = 5, S5 = 5, S6 = 1)

clusters <- do.call(rbind, lapply(names(n_clusters), function(s) {
  data.frame(stratum = s,
             cluster = paste0(s, "-C", seq_len(n_clusters[[s]])),
             stringsAsFactors = FALSE)
}))
nc <- nrow(clusters)

# households per cluster: 12..15, one cluster forced to the minimum of 5.
# (At most 5 PSUs per stratum and 15 households per PSU, so ~310 households.)
clusters$size <- sample(12:15, nc, replace = TRUE)
clusters$size[clusters$cluster == "S4-C2"] <- 5
clusters$size[clusters$cluster == "S6-C1"] <- 15

# cluster-level base weight and cluster random effect for the indicators
clusters$base_w <- runif(nc, 40, 230)
clusters$u_a    <- rnorm(nc, 0, 0.6)
clusters$u_b    <- rnorm(nc, 0, 0.6)
# admin1 mix varies by cluster (admin1 cuts across strata and clusters)
clusters$pA1 <- runif(nc, 0.15, 0.6)
clusters$pA2 <- runif(nc, 0.15, 0.5)

idx <- rep(seq_len(nc), clusters$size)
d <- data.frame(stratum = clusters$stratum[idx],
                cluster = clusters$cluster[idx],
                stringsAsFactors = FALSE)
n <- nrow(d)

## ---- household weight: cluster base weight x household factor, 20..300 -------
w <- clusters$base_w[idx] * runif(n, 0.75, 1.25)
w <- pmin(pmax(w, 20), 300)
d$weight <- round(w, 6)

## ---- admin1 (household level, cluster-specific mix) --------------------------
pA1 <- clusters$pA1[idx]
pA2 <- clusters$pA2[idx]
r <- runif(n)
d$admin1 <- ifelse(r < pA1, "A1", ifelse(r < pA1 + pA2, "A2", "A3"))

## ---- group: unequal frequencies; A3 gets no returnees here -------------------
r <- runif(n)
p_idp <- ifelse(d$admin1 == "A1", 0.35, ifelse(d$admin1 == "A2", 0.25, 0.20))
p_ret <- ifelse(d$admin1 == "A3", 0.00, 0.15)
d$group <- ifelse(r < p_idp, "idp", ifelse(r < p_idp + p_ret, "returnee", "non_displaced"))

## small domain (A3, returnee): exactly 7 households in 5 clusters of 2 strata
## (y_a is missing for the only member in S1-C4, so for y_a it spans 4 clusters:
## df = 4 - 2 = 2; for y_b df = 5 - 2 = 3).
small <- c(which(d$cluster == "S1-C2")[1:2],
           which(d$cluster == "S1-C4")[1],
           which(d$cluster == "S4-C1")[1:2],
           which(d$cluster == "S4-C3")[1],
           which(d$cluster == "S4-C5")[1])
d$admin1[small] <- "A3"
d$group[small]  <- "returnee"

## single-cluster domain: (A1, idp) in stratum S2 (5 PSUs) only in S2-C3
s2_other <- d$stratum == "S2" & d$cluster != "S2-C3" & d$admin1 == "A1" & d$group == "idp"
d$group[s2_other] <- "non_displaced"
s2c3 <- which(d$cluster == "S2-C3")
d$admin1[s2c3[1:3]] <- "A1"
d$group[s2c3[1:3]]  <- "idp"

## ---- indicators ---------------------------------------------------------------
g_eff_a <- c(idp = -0.4, returnee = 0.3, non_displaced = 0.9)
g_eff_b <- c(idp = 0.5, returnee = -0.6, non_displaced = -1.2)
p_a <- plogis(g_eff_a[d$group] + clusters$u_a[idx])
p_b <- plogis(g_eff_b[d$group] + clusters$u_b[idx])
d$y_a <- as.integer(runif(n) < p_a)
d$y_b <- as.integer(runif(n) < p_b)
d$y_a[runif(n) < 0.10] <- NA

# guarantee both outcomes inside the small domain (keeps the logit CI finite)
d$y_a[small] <- c(1L, 0L, NA, 1L, 0L, 0L, 1L)
d$y_b[small] <- c(0L, 1L, 1L, 0L, 0L, 1L, 0L)

d$hh_id <- sprintf("HH%04d", seq_len(n))
d <- d[, c("hh_id", "stratum", "cluster", "weight", "admin1", "group", "y_a", "y_b")]

## ---- structural checks ----------------------------------------------------------
stopifnot(all(table(d$cluster) >= 5), all(table(d$cluster) <= 15))
stopifnot(all(d$weight >= 20 & d$weight <= 300))
psu_per_stratum <- tapply(d$cluster, d$stratum, function(x) length(unique(x)))
stopifnot(psu_per_stratum[["S6"]] == 1, all(psu_per_stratum[paste0("S", 1:5)] >= 2),
          all(psu_per_stratum[paste0("S", 1:5)] <= 5))
cell <- table(d$admin1, d$group)
stopifnot(cell["A3", "returnee"] >= 4, cell["A3", "returnee"] <= 8)
stopifnot(all(cell >= 4))
a1idp_s2 <- unique(d$cluster[d$admin1 == "A1" & d$group == "idp" & d$stratum == "S2"])
stopifnot(identical(a1idp_s2, "S2-C3"))
stopifnot(!anyNA(d$y_b))
# every domain has both outcomes among observed values (finite logit CI)
for (y in c("y_a", "y_b")) {
  ok <- !is.na(d[[y]])
  m <- tapply(d[[y]][ok], paste(d$admin1, d$group)[ok], mean)
  stopifnot(all(m > 0 & m < 1))
}

write.csv(d, "fixture.csv", row.names = FALSE, na = "", quote = FALSE)
cat("wrote fixture.csv:", nrow(d), "households,", length(unique(d$cluster)), "clusters\n")
print(table(d$stratum))
print(psu_per_stratum)
print(cell)
cat("y_a missing:", sum(is.na(d$y_a)), "\n")
