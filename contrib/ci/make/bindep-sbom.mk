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
# build, the tarball names the release. Set BINDEP_SBOM_INPUTS to scan
# other files (built wheels, a .deb), BINDEP_SBOM_FORMAT=spdx for SPDX.
BINDEP_SBOM ?= bindep-sbom
BINDEP_SBOM_FORMAT ?= cyclonedx
BINDEP_SBOM_STAGING ?= $(PACKAGE)-$(VERSION)-sbom-staging
BINDEP_SBOM_INPUTS ?= $(BINDEP_SBOM_STAGING)
BINDEP_SBOM_OUTPUT ?= $(PACKAGE)-$(VERSION).$(if $(filter spdx,$(BINDEP_SBOM_FORMAT)),spdx,cdx).json
BINDEP_SBOM_ARGS ?=

.PHONY: dist-sbom
dist-sbom: dist
	rm -rf $(BINDEP_SBOM_STAGING)
	$(MAKE) install DESTDIR=$(CURDIR)/$(BINDEP_SBOM_STAGING)
	$(BINDEP_SBOM) --format $(BINDEP_SBOM_FORMAT) \
		--source-name '$(PACKAGE)' --source-version '$(VERSION)' \
		-o $(BINDEP_SBOM_OUTPUT) $(BINDEP_SBOM_ARGS) $(BINDEP_SBOM_INPUTS)
	rm -rf $(BINDEP_SBOM_STAGING)
