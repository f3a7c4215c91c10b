#include <catch2/catch.hpp>

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "results_file_fixture.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_schema.h"

using namespace wfsim::testing::results_fixture;
using wfsim::engine::ResultsFile;
using wfsim::engine::TraceRow;
namespace schema = wfsim::engine::results_schema;

TEST_CASE("the event trace is an extendible compound table with an enum of event names",
          "[results_file]") {
  TempDir dir;
  const std::string path = dir.file("trace.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(2), false);
    out.append_trace({{0, 0.25, 11, 1, 0, -1}, {0, 0.5, 12, 0, 1, 2}});
    out.append_trace({});
    out.append_trace({{1, 0.75, 13, 2, -1, 0}});
    out.commit();
    out.close();
  }
  const hid_t file = open_read_only(path);
  const std::string table = "/" + std::string(schema::kEventTrace);
  hid_t set = H5Dopen2(file, table.c_str(), H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t file_type = H5Dget_type(set);
  CHECK(H5Tget_nmembers(file_type) == 6);
  hid_t event_type = H5Tget_member_type(file_type, 3);
  CHECK(H5Tget_class(event_type) == H5T_ENUM);
  char name[16] = {0};
  const std::uint8_t layoff = 2;
  REQUIRE(H5Tenum_nameof(event_type, &layoff, name, sizeof name) >= 0);
  CHECK(std::string(name) == "layoff");

  hid_t mem_type = H5Tcreate(H5T_COMPOUND, sizeof(TraceRow));
  H5Tinsert(mem_type, "replication", HOFFSET(TraceRow, replication), H5T_NATIVE_UINT32);
  H5Tinsert(mem_type, "time", HOFFSET(TraceRow, time), H5T_NATIVE_DOUBLE);
  H5Tinsert(mem_type, "agent", HOFFSET(TraceRow, agent), H5T_NATIVE_UINT64);
  H5Tinsert(mem_type, "event", HOFFSET(TraceRow, event), event_type);
  H5Tinsert(mem_type, "role", HOFFSET(TraceRow, role), H5T_NATIVE_INT16);
  H5Tinsert(mem_type, "program", HOFFSET(TraceRow, program), H5T_NATIVE_INT16);
  std::vector<TraceRow> rows(3);
  REQUIRE(H5Dread(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) >= 0);
  CHECK(rows[0].time == 0.25);
  CHECK(rows[0].agent == 11);
  CHECK(rows[0].event == 1);
  CHECK(rows[0].program == -1);
  CHECK(rows[1].role == 1);
  CHECK(rows[1].program == 2);
  CHECK(rows[2].replication == 1);
  CHECK(rows[2].event == 2);
  CHECK(rows[2].role == -1);
  H5Tclose(mem_type);
  H5Tclose(event_type);
  H5Tclose(file_type);
  H5Dclose(set);
  H5Fclose(file);
}
