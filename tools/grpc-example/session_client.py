#!/usr/bin/python3
"""A tool calling the session service over gRPC with an API token.

    session_client.py <session address, e.g. 127.0.0.1:9002> <API token>

It compiles the protos it needs with Debian's protoc and grpc_python_plugin into a temporary
folder (the session API from proto/, the standard health and reflection APIs), then:
  1. asks grpc.health.v1.Health whether the session service is serving;
  2. lists the services the server offers, by server reflection;
  3. lists the sessions the token may see (ListSessions, scope sessions:read), with the token as
     the `authorization` metadata, exactly as on REST.
Prints one line per step; exits 1 when a call fails.
"""
import importlib
import os
import subprocess
import sys
import tempfile

import grpc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INCLUDES = [
    os.path.join(ROOT, "proto"),
    os.path.join(ROOT, "tests", "support", "proto"),
    "/usr/share/gocode/src/github.com/gogo/googleapis",
    "/usr/include",
]
PROTOS = [
    "streamspace/api/v1/options.proto",
    "streamspace/session/v1/session.proto",
    "grpc/health/v1/health.proto",
    "grpc/reflection/v1alpha/reflection.proto",
    "google/api/annotations.proto",
    "google/api/http.proto",
]


def compile_protos(out):
    for proto in PROTOS:
        args = ["protoc", "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin",
                f"--python_out={out}", f"--grpc_python_out={out}"]
        args += [f"-I{path}" for path in INCLUDES] + [proto]
        if subprocess.run(args, check=False).returncode != 0:
            sys.exit(f"cannot compile {proto}")
    sys.path.insert(0, out)
    # The health and reflection modules land under grpc/, the installed grpcio package's name.
    grpc.__path__.append(os.path.join(out, "grpc"))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    address, token = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as out:
        compile_protos(out)
        health = importlib.import_module("grpc.health.v1.health_pb2")
        health_grpc = importlib.import_module("grpc.health.v1.health_pb2_grpc")
        reflection = importlib.import_module("grpc.reflection.v1alpha.reflection_pb2")
        reflection_grpc = importlib.import_module("grpc.reflection.v1alpha.reflection_pb2_grpc")
        session = importlib.import_module("streamspace.session.v1.session_pb2")
        session_grpc = importlib.import_module("streamspace.session.v1.session_pb2_grpc")

        channel = grpc.insecure_channel(address)
        service = "streamspace.session.v1.SessionService"
        answer = health_grpc.HealthStub(channel).Check(
            health.HealthCheckRequest(service=service), timeout=5)
        print("health:", health.HealthCheckResponse.ServingStatus.Name(answer.status))

        requests = iter([reflection.ServerReflectionRequest(list_services="")])
        for reply in reflection_grpc.ServerReflectionStub(channel).ServerReflectionInfo(
                requests, timeout=5):
            names = sorted(s.name for s in reply.list_services_response.service)
            print("services:", " ".join(names))

        metadata = [("authorization", f"Bearer {token}")]
        try:
            listed = session_grpc.SessionServiceStub(channel).ListSessions(
                session.ListSessionsRequest(), metadata=metadata, timeout=5)
        except grpc.RpcError as error:
            print("sessions: refused:", error.code().name, error.details())
            return 1
        print("sessions:", " ".join(s.name for s in listed.sessions) or "(none)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
