# SPDX-License-Identifier: GPL-2.0
#
# Report of `make -C tools bench-cg`: reads the callgrind dumps of
# build/gomem-cg (one per cell, "Trigger: Client Request: cell|pattern|
# allocator|pairs", its "summary:" the instructions counted) and prints
# instructions per malloc+free pair, the "loop" allocator's count (the
# harness loop, same random numbers, empty malloc and free) subtracted.
/Trigger: Client Request: cell\|/ {
	sub(/.*Client Request: /, "")
	split($0, f, "|")
	pat = f[2]; al = f[3]; pairs[pat] = f[4]
	if (!(pat in seen_p)) { seen_p[pat] = 1; pats[np++] = pat }
	if (!(al in seen_a)) { seen_a[al] = 1; als[na++] = al }
	cur = pat SUBSEP al
}
/^summary:/ && cur != "" { ir[cur] = $2; cur = "" }
END {
	if (!np) {
		print "bench-cg: no cells found in the callgrind dumps"
		exit 1
	}
	printf "instructions per malloc+free pair (callgrind Ir, harness loop subtracted)\n\n"
	printf "| %-20s |", "pattern"
	for (a = 0; a < na; a++)
		if (als[a] != "loop")
			printf " %10s |", als[a]
	printf " %10s |\n|----------------------|", "loop"
	for (a = 0; a < na; a++)
		printf "------------|"
	printf "\n"
	for (p = 0; p < np; p++) {
		pat = pats[p]
		base = ir[pat, "loop"]
		printf "| %-20s |", pat
		for (a = 0; a < na; a++)
			if (als[a] != "loop")
				printf " %10.1f |", (ir[pat, als[a]] - base) / pairs[pat]
		printf " %10.1f |\n", base / pairs[pat]
	}
}
