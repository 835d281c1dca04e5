# A GPU worker. DJL's pytorch-jni 2.7.1-0.36.0 carries a cu128 JNI built for PyTorch 2.7.1, so the
# base image brings PyTorch 2.7.1 + CUDA 12.8 and DJL is pointed at its libraries instead of the
# CPU natives (which are left out of the classpath). Unverified here: no Docker engine on the
# build machines; see README "GPU deployment".
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl gpu-worker -am package \
 && rm -f gpu-worker/target/lib/pytorch-native-cpu-*.jar

FROM pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/gpu-worker/target/classes /app/classes
COPY --from=build /src/gpu-worker/target/lib /app/lib
ENV PYTORCH_LIBRARY_PATH=/opt/conda/lib/python3.11/site-packages/torch/lib \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    PYTORCH_LIBRARY_EXCLUSION=libtorch_python.so \
    OPT_OUT_TRACKING=true \
    UNMASK_DEVICE=gpu \
    UNMASK_ARTIFACTS_DIR=/artifacts
EXPOSE 9400
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-Dai.djl.offline=true", "-cp", "/app/classes:/app/lib/*", "dev.unmask.worker.WorkerMain"]
