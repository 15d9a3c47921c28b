/* SPDX-License-Identifier: MIT */
/* The unit-test runner: CUnit's basic interface; its summary is the
 * closing output. Run from the repository root. */
#include "unit.h"

#include <CUnit/Basic.h>
#include <stdio.h>

int main(void)
{
	unsigned failures;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 1;
	bd_test_register_arena();
	bd_test_register_buf();
	bd_test_register_map();
	bd_test_register_inodes();
	bd_test_register_hash();
	bd_test_register_notes();
	bd_test_register_gobuildinfo();
	bd_test_register_cargoaudit();
	bd_test_register_scan();
	bd_test_register_purl();
	bd_test_register_purl_spec();
	bd_test_register_ident();
	bd_test_register_graph();
	bd_test_register_resolve();
	bd_test_register_walk();
	bd_test_register_emit();
	bd_test_register_json();
	bd_test_register_output();
	bd_test_register_cli();
	bd_test_register_root();
	bd_test_register_ldconf();
	bd_test_register_target();
	bd_test_register_pkgdb();
	bd_test_register_pkgdb_divert();
	bd_test_register_mapping();
	bd_test_register_bundle();
	bd_test_register_carried();
	bd_test_register_cache();
	bd_test_register_artifact();
	bd_test_register_archive();
	bd_test_register_image();
	bd_test_register_input_image();
	bd_test_register_input();
	bd_test_register_strmatch();
	bd_test_register_views();
	bd_test_register_strrules();
	bd_test_register_attach();
	bd_test_register_license();
	bd_test_register_dirnames();
	bd_test_register_exclude();
	CU_basic_set_mode(CU_BRM_NORMAL);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures();
	CU_cleanup_registry();
	return failures ? 1 : 0;
}
