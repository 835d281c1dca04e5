# A CPU worker: the PyTorch CPU natives come with the classpath (pytorch-native-cpu).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl gpu-worker -am package
# MKL's vendor check answered, so AMD CPUs get its AVX2 GEMM kernels (README, BENCHMARKS.md); a no-op on Intel
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
    && gcc -O2 -shared -fPIC -o /src/libunmask_mkl_intel_path.so diffusion/src/main/native/mkl_intel_path.c

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/gpu-worker/target/classes /app/classes
COPY --from=build /src/gpu-worker/target/lib /app/lib
COPY --from=build /src/libunmask_mkl_intel_path.so /app/native/libunmask_mkl_intel_path.so
ENV LD_PRELOAD=/app/native/libunmask_mkl_intel_path.so GOMP_SPINCOUNT=1000
ENV OPT_OUT_TRACKING=true UNMASK_DEVICE=cpu UNMASK_ARTIFACTS_DIR=/artifacts DJL_CACHE_DIR=/app/.djl
EXPOSE 9400
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dai.djl.offline=true", "-cp", "/app/classes:/app/lib/*", "dev.unmask.worker.WorkerMain"]
