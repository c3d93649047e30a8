# ss_add_protos(<target> ROOT <dir> PROTOS <files relative to ROOT>... [DESCRIPTOR_SET <file>])
# Generates C++ and gRPC code for the protos into a static library <target>.
set(SS_GOOGLEAPIS_DIR /usr/share/gocode/src/github.com/gogo/googleapis)
get_target_property(SS_GRPC_CPP_PLUGIN gRPC::grpc_cpp_plugin LOCATION)

function(ss_add_protos target)
  cmake_parse_arguments(ARG "" "ROOT;DESCRIPTOR_SET" "PROTOS;DEPENDS" ${ARGN})
  set(out_dir ${CMAKE_CURRENT_BINARY_DIR}/gen)
  set(srcs)
  set(abs_protos)
  foreach(proto ${ARG_PROTOS})
    get_filename_component(dir ${proto} DIRECTORY)
    get_filename_component(name ${proto} NAME_WE)
    set(base ${out_dir}/${dir}/${name})
    list(APPEND srcs ${base}.pb.cc ${base}.grpc.pb.cc)
    list(APPEND abs_protos ${ARG_ROOT}/${proto})
    add_custom_command(
      OUTPUT ${base}.pb.cc ${base}.pb.h ${base}.grpc.pb.cc ${base}.grpc.pb.h
      COMMAND ${CMAKE_COMMAND} -E make_directory ${out_dir}
      COMMAND protobuf::protoc -I ${ARG_ROOT} -I ${PROJECT_SOURCE_DIR}/proto -I ${SS_GOOGLEAPIS_DIR}
              -I ${Protobuf_INCLUDE_DIRS} --cpp_out=${out_dir} --grpc_out=${out_dir}
              --plugin=protoc-gen-grpc=${SS_GRPC_CPP_PLUGIN} ${proto}
      WORKING_DIRECTORY ${ARG_ROOT}
      DEPENDS ${ARG_ROOT}/${proto} ${ARG_DEPENDS}
      VERBATIM)
  endforeach()
  if(ARG_DESCRIPTOR_SET)
    add_custom_command(
      OUTPUT ${ARG_DESCRIPTOR_SET}
      COMMAND protobuf::protoc -I ${ARG_ROOT} -I ${PROJECT_SOURCE_DIR}/proto -I ${SS_GOOGLEAPIS_DIR}
              -I ${Protobuf_INCLUDE_DIRS} --include_imports --descriptor_set_out=${ARG_DESCRIPTOR_SET}
              ${ARG_PROTOS}
      WORKING_DIRECTORY ${ARG_ROOT}
      DEPENDS ${abs_protos}
      VERBATIM)
    list(APPEND srcs ${ARG_DESCRIPTOR_SET})
  endif()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} SYSTEM PUBLIC ${out_dir})
  target_link_libraries(${target} PUBLIC gRPC::grpc++ protobuf::libprotobuf)
endfunction()
