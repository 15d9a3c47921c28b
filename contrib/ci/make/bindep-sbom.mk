# bindep-sbom.mk: the SBOM of a C project's release, beside its tarball.
#
# In your Makefile, once PACKAGE and VERSION are set (Automake sets them,
# and DIST_ARCHIVES):
#
#   include bindep-sbom.mk
#
# then `make dist-sbom` runs `make dist`, installs the build into a staging
# directory (make install DESTDIR=...) and writes what the installed
# programs and libraries load to $(PACKAGE)-$(VERSION).cdx.json beside the
# tarball. A source tarball holds no compiled code: the SBOM describes the
# build, the tarball names the release. The staged programs find the staged
# libraries first (--library-path; one in BINDEP_SBOM_ARGS replaces it). Set BINDEP_SBOM_INPUTS to scan
# other files (built wheels, a .deb), BINDEP_SBOM_FORMAT=spdx for SPDX,
# BINDEP_SBOM_STAGING for another staging directory (relative to the
# project, or absolute). Each input is one word (make splits at spaces),
# passed quoted after --; BINDEP_SBOM_ARGS is options, split at spaces.
BINDEP_SBOM ?= bindep-sbom
BINDEP_SBOM_FORMAT ?= cyclonedx
BINDEP_SBOM_STAGING ?= $(PACKAGE)-$(VERSION)-sbom-staging
BINDEP_SBOM_INPUTS ?= $(BINDEP_SBOM_STAGING)
BINDEP_SBOM_OUTPUT ?= $(PACKAGE)-$(VERSION).$(if $(filter spdx,$(BINDEP_SBOM_FORMAT)),spdx,cdx).json
BINDEP_SBOM_ARGS ?=

# $(1) as one shell word, quoted.
bindep_sbom_quote = '$(subst ','\'',$(1))'

# The staging directories holding a shared object, ':'-separated, for
# --library-path: the staged programs find the staged libraries first, as
# the installed system's loader would find them where they are installed
# (the library path comes before DT_RUNPATH, ld.so.cache and the default
# directories; a DT_RPATH naming the build machine's copy still wins, as
# it would at run time). Run in the recipe's shell, with $$stage set; a
# directory whose name holds a ':' or a newline cannot be in the list.
bindep_sbom_libdirs = find "$$stage" \( -name '*.so' -o -name '*.so.*' \) \
	\( -type f -o -type l \) | LC_ALL=C sort | awk 'BEGIN { \
	s = ENVIRON["stage"] "/" } index($$0, s) == 1 && !index($$0, ":") { \
	sub("/[^/]*$$", ""); if (!seen[$$0]++) d = d (d ? ":" : "") $$0 } \
	END { print d }'

# The staging directory as the library path names it: as given, relative
# to make's directory (after ./, which no option of find's starts with),
# so that a ':' in the project's own path is not one of the list's.
bindep_sbom_stage = $(if $(filter /%,$(BINDEP_SBOM_STAGING)),,./)$(patsubst %/,%,$(BINDEP_SBOM_STAGING))

# The staging directory is installed into, scanned and removed where it
# names: relative to the project, or absolute.
.PHONY: dist-sbom
dist-sbom: dist
	$(if $(strip $(BINDEP_SBOM_STAGING)),,$(error BINDEP_SBOM_STAGING is empty))
	$(if $(word 2,$(BINDEP_SBOM_STAGING)),$(error BINDEP_SBOM_STAGING holds a space: make splits it, and would install into one directory and remove another))
	$(if $(findstring :,$(BINDEP_SBOM_STAGING)),$(error BINDEP_SBOM_STAGING holds a ':': the library path it is searched by cannot))
	rm -rf -- $(call bindep_sbom_quote,$(BINDEP_SBOM_STAGING))
	$(MAKE) install \
		DESTDIR=$(call bindep_sbom_quote,$(abspath $(BINDEP_SBOM_STAGING)))
	stage=$(call bindep_sbom_quote,$(bindep_sbom_stage)); \
	export stage; libdirs=$$($(bindep_sbom_libdirs)); \
	$(BINDEP_SBOM) --format $(call bindep_sbom_quote,$(BINDEP_SBOM_FORMAT)) \
		--source-name $(call bindep_sbom_quote,$(PACKAGE)) \
		--source-version $(call bindep_sbom_quote,$(VERSION)) \
		$${libdirs:+--library-path "$$libdirs"} \
		-o $(call bindep_sbom_quote,$(BINDEP_SBOM_OUTPUT)) $(BINDEP_SBOM_ARGS) \
		-- $(foreach i,$(BINDEP_SBOM_INPUTS),$(call bindep_sbom_quote,$(i)))
	rm -rf -- $(call bindep_sbom_quote,$(BINDEP_SBOM_STAGING))
